package io.gamerlab.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads BPF ring buffers ({@code BPF_MAP_TYPE_RINGBUF}) through libbpf's {@code ring_buffer__*}:
 * one libbpf {@code struct ring_buffer} (one epoll set) for all the rings added, whether a
 * single shared ring, static shards, or the inner rings of an array of maps.
 *
 * <p>Each record costs one native-to-Java upcall: libbpf calls the handler once per record, on
 * the thread that called {@link #poll} or {@link #consume}. The record segment points into the
 * ring's memory and is valid only during that call; copy what you keep. (A consumer that reads
 * the mmapped ring itself, without upcalls, is the later alternative.)
 *
 * <p>Not thread-safe: poll and consume from one thread at a time, and close once that thread has
 * stopped polling. A handler that throws stops the current poll, which rethrows its exception.
 */
public final class RingBufferPoller implements AutoCloseable {
    private static final int EINTR = 4;
    private static final MethodHandle ON_SAMPLE;

    static {
        try {
            ON_SAMPLE = MethodHandles.lookup().findVirtual(RingBufferPoller.class, "onSample",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Receives each record; the segment is valid only during the call. */
    @FunctionalInterface
    public interface RecordHandler {
        void onRecord(MemorySegment record);
    }

    private final RingBufferLibbpf native_;
    private final RecordHandler handler;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callback;
    private final List<Integer> ownedFds = new ArrayList<>();
    private final List<String> rings = new ArrayList<>();
    private MemorySegment ringBuffer = MemorySegment.NULL;
    private Throwable handlerFailure;
    private long records;
    private boolean closed;

    public RingBufferPoller(RecordHandler handler) {
        this.native_ = RingBufferLibbpf.get();
        this.handler = handler;
        this.callback = Linker.nativeLinker().upcallStub(ON_SAMPLE.bindTo(this), RingBufferLibbpf.SAMPLE_FN, arena);
    }

    /** Adds a ring buffer map of a loaded object. */
    public void add(BpfMap ring) {
        if (ring.type() != RingBufferMaps.BPF_MAP_TYPE_RINGBUF) {
            throw new IllegalArgumentException("map " + ring.name() + " has type " + ring.type()
                    + ", not BPF_MAP_TYPE_RINGBUF (" + RingBufferMaps.BPF_MAP_TYPE_RINGBUF + ")");
        }
        addFd(ring.fd(), ring.name());
    }

    /**
     * Adds the ring in every occupied slot of an array of maps, in slot order; empty slots are
     * skipped. Each ring is opened by its id (a user-space lookup of a map-of-maps slot gives the
     * inner map's id), and the fd is closed with this poller. Returns the number of rings added.
     */
    public int addInnerRings(BpfMap outer) {
        return RingBufferMaps.openInnerRings(outer, (fd, description) -> {
            addFd(fd, description);
            ownedFds.add(fd);
        });
    }

    /** Adds a ring by fd; the caller keeps the fd open until this poller is closed, and closes it. */
    public void addFd(int fd, String description) {
        requireOpen();
        if (ringBuffer.equals(MemorySegment.NULL)) {
            try (Arena call = Arena.ofConfined()) {
                MemorySegment callState = Libbpf.allocateCallState(call);
                LibbpfLog.clear();
                MemorySegment created = native_.ring_buffer__new(callState, fd, callback, MemorySegment.NULL, MemorySegment.NULL);
                if (created.equals(MemorySegment.NULL)) {
                    throw native_.libbpf().failure("ring_buffer__new(" + description + ")", Libbpf.errno(callState));
                }
                ringBuffer = created;
            }
        } else {
            LibbpfLog.clear();
            int result = native_.ring_buffer__add(ringBuffer, fd, callback, MemorySegment.NULL);
            if (result < 0) {
                throw native_.libbpf().failure("ring_buffer__add(" + description + ")", -result);
            }
        }
        rings.add(description);
    }

    /** The rings added, in order: map names, with [slot] for inner rings. */
    public List<String> rings() {
        return List.copyOf(rings);
    }

    /**
     * Waits up to {@code timeoutMillis} (0: not at all, -1: forever) for a ring to be notified,
     * then consumes the notified rings. Returns the records handled; 0 on timeout or EINTR.
     * Records submitted without a wake-up (BPF_RB_NO_WAKEUP) are picked up by {@link #consume()}.
     */
    public int poll(int timeoutMillis) {
        requireRings();
        int result = native_.ring_buffer__poll(ringBuffer, timeoutMillis);
        return checked("ring_buffer__poll", result);
    }

    /** Handles every record available now in every ring, without waiting. */
    public int consume() {
        requireRings();
        int result = native_.ring_buffer__consume(ringBuffer);
        return checked("ring_buffer__consume", result);
    }

    /** Records handed to the handler so far. */
    public long records() {
        return records;
    }

    private int checked(String operation, int result) {
        if (handlerFailure != null) {
            Throwable failure = handlerFailure;
            handlerFailure = null;
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the ring buffer record handler failed", failure);
        }
        if (result == -EINTR) {
            return 0;
        }
        if (result < 0) {
            throw native_.libbpf().failure(operation + "(" + String.join(", ", rings) + ")", -result);
        }
        return result;
    }

    /** The upcall: {@code int sample(void *ctx, void *data, size_t size)}; a negative return stops libbpf's loop. */
    private int onSample(MemorySegment ctx, MemorySegment data, long size) {
        try {
            records++;
            handler.onRecord(data.reinterpret(size));
            return 0;
        } catch (Throwable t) {
            // An exception escaping an upcall kills the JVM: keep it for poll() to rethrow.
            handlerFailure = t;
            return -1;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("ring buffer poller is closed");
        }
    }

    private void requireRings() {
        requireOpen();
        if (ringBuffer.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("no ring buffer was added to this poller");
        }
    }

    /** Frees libbpf's ring_buffer, the upcall stub and the fds this poller opened; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!ringBuffer.equals(MemorySegment.NULL)) {
            native_.ring_buffer__free(ringBuffer);
        }
        for (int fd : ownedFds) {
            native_.close(fd);
        }
        arena.close();
    }

    @Override
    public String toString() {
        return "RingBufferPoller" + rings + (closed ? " (closed)" : "");
    }
}
