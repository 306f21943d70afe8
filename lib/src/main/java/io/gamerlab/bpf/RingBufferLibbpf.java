package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libbpf (and libc) functions of the ring-buffer path, one downcall each and named as in
 * libbpf's headers, kept beside {@link Libbpf} so that list stays the loader's. Linked from the
 * same libbpf: {@code ring_buffer__*}, {@code bpf_map_create}, {@code bpf_map_get_fd_by_id}, and
 * the map sizing calls {@code bpf_map__max_entries}, {@code bpf_map__set_max_entries},
 * {@code bpf_map__inner_map}.
 */
final class RingBufferLibbpf {
    /** {@code int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size)}. */
    static final FunctionDescriptor SAMPLE_FN = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private final Libbpf libbpf;
    private final MethodHandle ringBufferNew;
    private final MethodHandle ringBufferAdd;
    private final MethodHandle ringBufferPoll;
    private final MethodHandle ringBufferConsume;
    private final MethodHandle ringBufferFree;
    private final MethodHandle mapCreate;
    private final MethodHandle mapGetFdById;
    private final MethodHandle mapMaxEntries;
    private final MethodHandle mapSetMaxEntries;
    private final MethodHandle mapInnerMap;
    private final MethodHandle close;

    private RingBufferLibbpf(Libbpf libbpf) {
        this.libbpf = libbpf;
        ringBufferNew = libbpf.downcall("ring_buffer__new", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS), CAPTURE_ERRNO);
        ringBufferAdd = libbpf.downcall("ring_buffer__add", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        ringBufferPoll = libbpf.downcall("ring_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        ringBufferConsume = libbpf.downcall("ring_buffer__consume", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        ringBufferFree = libbpf.downcall("ring_buffer__free", FunctionDescriptor.ofVoid(ADDRESS));
        mapCreate = libbpf.downcall("bpf_map_create",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        mapGetFdById = libbpf.downcall("bpf_map_get_fd_by_id", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        mapMaxEntries = libbpf.downcall("bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapSetMaxEntries = libbpf.downcall("bpf_map__set_max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        mapInnerMap = libbpf.downcall("bpf_map__inner_map", FunctionDescriptor.of(ADDRESS, ADDRESS));
        Linker linker = Linker.nativeLinker();
        close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    static RingBufferLibbpf get() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final RingBufferLibbpf INSTANCE = new RingBufferLibbpf(Libbpf.get());
    }

    Libbpf libbpf() {
        return libbpf;
    }

    MemorySegment ring_buffer__new(MemorySegment callState, int mapFd, MemorySegment sampleFn, MemorySegment ctx, MemorySegment opts) {
        try {
            return (MemorySegment) ringBufferNew.invokeExact(callState, mapFd, sampleFn, ctx, opts);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int ring_buffer__add(MemorySegment ringBuffer, int mapFd, MemorySegment sampleFn, MemorySegment ctx) {
        try {
            return (int) ringBufferAdd.invokeExact(ringBuffer, mapFd, sampleFn, ctx);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int ring_buffer__poll(MemorySegment ringBuffer, int timeoutMillis) {
        try {
            return (int) ringBufferPoll.invokeExact(ringBuffer, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int ring_buffer__consume(MemorySegment ringBuffer) {
        try {
            return (int) ringBufferConsume.invokeExact(ringBuffer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void ring_buffer__free(MemorySegment ringBuffer) {
        try {
            ringBufferFree.invokeExact(ringBuffer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A new map's fd, or a negative errno. */
    int bpf_map_create(int type, MemorySegment name, int keySize, int valueSize, int maxEntries, MemorySegment opts) {
        try {
            return (int) mapCreate.invokeExact(type, name, keySize, valueSize, maxEntries, opts);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A new fd for the map with this id, or a negative errno. */
    int bpf_map_get_fd_by_id(int id) {
        try {
            return (int) mapGetFdById.invokeExact(id);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map__max_entries(MemorySegment map) {
        try {
            return (int) mapMaxEntries.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map__set_max_entries(MemorySegment map, int maxEntries) {
        try {
            return (int) mapSetMaxEntries.invokeExact(map, maxEntries);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_map__inner_map(MemorySegment map) {
        try {
            return (MemorySegment) mapInnerMap.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** libc close(2); errors are ignored (the fd is gone either way). */
    void close(int fd) {
        try {
            int _ = (int) close.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("a libbpf downcall threw a checked exception", t);
    }
}
