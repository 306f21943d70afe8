package io.gamerlab.util;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.BitSet;

/** Which CPUs a thread may run on, set with sched_setaffinity(2): by the thread itself or by another. */
public final class CpuAffinity {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SET = LINKER.downcallHandle(LINKER.defaultLookup().find("sched_setaffinity").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    /** cpu_set_t's size in glibc: 1024 CPUs. */
    private static final int MASK_BYTES = 128;

    private CpuAffinity() { }

    /** Lets thread {@code tid} run on {@code cpus} only; an error names the thread, the CPUs and errno. */
    public static void set(int tid, BitSet cpus) {
        if (cpus.isEmpty() || cpus.length() > MASK_BYTES * 8)
            throw new IllegalArgumentException("CPUs " + cpus + " must be a non-empty set within 0.." + (MASK_BYTES * 8 - 1));
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(Linker.Option.captureStateLayout());
            MemorySegment mask = call.allocate(MASK_BYTES);
            byte[] bits = cpus.toByteArray();  // little-endian bit order, as cpu_set_t
            MemorySegment.copy(bits, 0, mask, ValueLayout.JAVA_BYTE, 0, bits.length);
            int result = (int) SET.invokeExact(state, tid, (long) MASK_BYTES, mask);
            if (result != 0)
                throw new IllegalStateException("sched_setaffinity(thread " + tid + ", CPUs " + cpus + ") failed with errno "
                        + (int) ERRNO.get(state, 0L));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
