package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The native calls of {@link RingBufferMmapConsumer}, one downcall each and named as in their
 * headers: libc's {@code mmap}, {@code munmap}, {@code epoll_create1}, {@code epoll_ctl},
 * {@code epoll_wait}, {@code close}, {@code getpagesize}, and libbpf's
 * {@code bpf_map_get_info_by_fd} (linked from the same libbpf as {@link Libbpf}).
 * Calls that report errors through errno capture it; they return a negative errno instead.
 */
final class RingBufferMmapLibc {
    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x1;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 0x1;
    static final int EINTR = 4;
    /** {@code struct epoll_event} is packed on x86_64: {@code u32 events; u64 data;}. */
    static final long EPOLL_EVENT_BYTES = 12;
    /** struct bpf_map_info (uapi): type at 0, id at 4, key_size 8, value_size 12, max_entries 16, ...; 88 bytes up to map_extra. */
    static final int MAP_INFO_BYTES = 88;
    static final long MAP_INFO_TYPE = 0;
    static final long MAP_INFO_ID = 4;
    static final long MAP_INFO_MAX_ENTRIES = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MemorySegment MAP_FAILED = MemorySegment.ofAddress(-1L);

    private final Libbpf libbpf;
    private final MethodHandle mmap;
    private final MethodHandle munmap;
    private final MethodHandle epollCreate1;
    private final MethodHandle epollCtl;
    private final MethodHandle epollWait;
    private final MethodHandle close;
    private final MethodHandle getpagesize;
    private final MethodHandle mapGetInfoByFd;

    private RingBufferMmapLibc(Libbpf libbpf) {
        this.libbpf = libbpf;
        mmap = libc("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO);
        munmap = libc("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
        epollCreate1 = libc("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
        epollCtl = libc("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), ERRNO);
        epollWait = libc("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO);
        close = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        getpagesize = libc("getpagesize", FunctionDescriptor.of(JAVA_INT));
        mapGetInfoByFd = libbpf.downcall("bpf_map_get_info_by_fd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    static RingBufferMmapLibc get() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final RingBufferMmapLibc INSTANCE = new RingBufferMmapLibc(Libbpf.get());
    }

    private static MethodHandle libc(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(
                () -> new IllegalStateException("libc has no " + name)), descriptor, options);
    }

    Libbpf libbpf() {
        return libbpf;
    }

    /** The mapping's address (a zero-length segment), or throws naming the errno. */
    MemorySegment mmap(long length, int prot, int fd, long offset, String what) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Libbpf.allocateCallState(call);
            MemorySegment address = (MemorySegment) mmap.invokeExact(state, MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset);
            if (address.address() == MAP_FAILED.address()) {
                throw libbpf.failure("mmap(" + what + ", " + length + " bytes at offset " + offset + ")", Libbpf.errno(state));
            }
            return address;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    void munmap(MemorySegment address, long length) {
        try (Arena call = Arena.ofConfined()) {
            int _ = (int) munmap.invokeExact(Libbpf.allocateCallState(call), address, length);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    int epollCreate() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Libbpf.allocateCallState(call);
            int fd = (int) epollCreate1.invokeExact(state, EPOLL_CLOEXEC);
            if (fd < 0) throw libbpf.failure("epoll_create1(EPOLL_CLOEXEC)", Libbpf.errno(state));
            return fd;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Adds {@code fd} for EPOLLIN (level-triggered, as libbpf does) with {@code data} as its tag. */
    void epollAdd(int epollFd, int fd, long data, String what) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Libbpf.allocateCallState(call);
            MemorySegment event = call.allocate(EPOLL_EVENT_BYTES, 4);
            event.set(JAVA_INT, 0, EPOLLIN);
            event.set(JAVA_LONG_UNALIGNED, 4, data); // epoll_event.data, unaligned in the packed struct
            int result = (int) epollCtl.invokeExact(state, epollFd, EPOLL_CTL_ADD, fd, event);
            if (result < 0) throw libbpf.failure("epoll_ctl(EPOLL_CTL_ADD, " + what + ")", Libbpf.errno(state));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Ready fds (0 on timeout), or a negative errno (-EINTR when a signal interrupted the wait). */
    int epollWait(MemorySegment callState, int epollFd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            int n = (int) epollWait.invokeExact(callState, epollFd, events, maxEvents, timeoutMillis);
            return n < 0 ? -Libbpf.errno(callState) : n;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    void close(int fd) {
        try {
            int _ = (int) close.invokeExact(fd);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    int pageSize() {
        try {
            return (int) getpagesize.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The map's {@code struct bpf_map_info} ({@link #MAP_INFO_BYTES} bytes, allocated in {@code arena}). */
    MemorySegment mapInfo(int fd, Arena arena, String what) {
        MemorySegment info = arena.allocate(MAP_INFO_BYTES, 8);
        MemorySegment length = arena.allocateFrom(JAVA_INT, MAP_INFO_BYTES);
        try {
            int result = (int) mapGetInfoByFd.invokeExact(fd, info, length);
            if (result < 0) throw libbpf.failure("bpf_map_get_info_by_fd(" + what + ")", -result);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return info;
    }
}
