package io.gamerlab.measure;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls perf counting needs. glibc has no perf_event_open wrapper, so it goes through
 * {@code syscall(2)}. syscall and ioctl are variadic: their variadic arguments are passed as
 * 64-bit longs, which is what the kernel reads from each register anyway.
 */
final class Libc {
    private static final long SYS_PERF_EVENT_OPEN = 298; // x86_64
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** long syscall(long number, attr, pid, cpu, group_fd, flags) */
    private static final MethodHandle SYSCALL_5 = function("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    /** int ioctl(int fd, unsigned long request, unsigned long arg) */
    private static final MethodHandle IOCTL = function("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    private static final MethodHandle READ = function("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** glibc >= 2.32; both return static strings, so they are safe from any thread. */
    private static final MethodHandle STRERRORNAME_NP = function("strerrorname_np", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle STRERRORDESC_NP = function("strerrordesc_np", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    /** A file descriptor, or a negative errno. */
    static int perfEventOpen(MemorySegment attr, int pid, int cpu, int groupFd, long flags) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment callState = call.allocate(CALL_STATE);
            long fd = (long) SYSCALL_5.invokeExact(callState, SYS_PERF_EVENT_OPEN, attr, (long) pid, (long) cpu, (long) groupFd, flags);
            return fd < 0 ? -errno(callState) : (int) fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** 0, or a negative errno. */
    static int ioctl(int fd, long request, long argument) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment callState = call.allocate(CALL_STATE);
            int result = (int) IOCTL.invokeExact(callState, fd, request, argument);
            return result < 0 ? -errno(callState) : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Bytes read, or a negative errno. */
    static long read(int fd, MemorySegment buffer) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment callState = call.allocate(CALL_STATE);
            long result = (long) READ.invokeExact(callState, fd, buffer, buffer.byteSize());
            return result < 0 ? -errno(callState) : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try {
            int _ = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** e.g. "ENOENT (No such file or directory)". */
    static String describeErrno(int errno) {
        try {
            MemorySegment name = (MemorySegment) STRERRORNAME_NP.invokeExact(errno);
            MemorySegment description = (MemorySegment) STRERRORDESC_NP.invokeExact(errno);
            return (name.equals(MemorySegment.NULL) ? "errno " + errno : string(name))
                    + " (" + (description.equals(MemorySegment.NULL) ? "unknown error" : string(description)) + ")";
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static String string(MemorySegment cString) {
        return cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = LINKER.defaultLookup().find(name).orElseThrow(() -> new IllegalStateException(
                "libc has no " + name + "; perf counting needs glibc >= 2.32 on x86_64 Linux"));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("a libc downcall threw a checked exception", t);
    }
}
