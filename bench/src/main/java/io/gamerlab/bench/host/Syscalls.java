package io.gamerlab.bench.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls of the host benches' caller threads, through FFM: getpgid (fires the benches'
 * tp_btf/sys_enter programs), sched_setaffinity, sched_getcpu, sched_setscheduler.
 */
public final class Syscalls {
    private static final Linker LINKER = Linker.nativeLinker();
    /**
     * getpgid(pid): a short syscall that never blocks, so it is linked as a critical downcall (no
     * thread-state transition around it): the loop's own overhead stays small beside the hook's.
     */
    private static final MethodHandle GETPGID = LINKER.downcallHandle(LINKER.defaultLookup().find("getpgid").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), Linker.Option.critical(false));
    /** int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask) */
    private static final MethodHandle SCHED_SETAFFINITY = LINKER.downcallHandle(LINKER.defaultLookup().find("sched_setaffinity").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle SCHED_GETCPU = LINKER.downcallHandle(LINKER.defaultLookup().find("sched_getcpu").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT));
    /** int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param): pid 0 is the calling thread on Linux. */
    private static final MethodHandle SCHED_SETSCHEDULER = LINKER.downcallHandle(LINKER.defaultLookup().find("sched_setscheduler").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final int SCHED_FIFO = 1;
    /** glibc's cpu_set_t: 1024 bits. */
    private static final long CPU_SET_BYTES = 128;

    private Syscalls() {
    }

    public static int getpgid(int pid) {
        try {
            return (int) GETPGID.invokeExact(pid);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Pins the calling thread to one CPU. */
    public static void pinTo(int cpu) {
        if (cpu < 0 || cpu >= CPU_SET_BYTES * 8) throw new IllegalArgumentException("cpu " + cpu);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment mask = call.allocate(CPU_SET_BYTES, 8);
            mask.set(JAVA_LONG, (cpu / 64) * 8L, 1L << (cpu % 64));
            int result = (int) SCHED_SETAFFINITY.invokeExact(0, CPU_SET_BYTES, mask);
            if (result != 0) throw new IllegalStateException("sched_setaffinity(0, cpu " + cpu + ") failed");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        int now = currentCpu();
        if (now != cpu) throw new IllegalStateException("pinned to CPU " + cpu + " but running on CPU " + now);
    }

    /**
     * Runs the calling thread under SCHED_FIFO at {@code priority} (1..99; root): it runs whenever
     * it is runnable, ahead of every ordinary thread on its CPU, within the kernel's real-time
     * throttling (kernel.sched_rt_runtime_us of every second, 95 % by default).
     */
    public static void setRealtime(int priority) {
        if (priority < 1 || priority > 99) throw new IllegalArgumentException("SCHED_FIFO priority " + priority + " (allowed: 1..99)");
        int result;
        try (Arena call = Arena.ofConfined()) {
            result = (int) SCHED_SETSCHEDULER.invokeExact(0, SCHED_FIFO, call.allocateFrom(JAVA_INT, priority));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (result != 0) throw new IllegalStateException("sched_setscheduler(this thread, SCHED_FIFO, " + priority + ") failed (needs root)");
    }

    public static int currentCpu() {
        try {
            return (int) SCHED_GETCPU.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
