package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads BPF ring buffers ({@code BPF_MAP_TYPE_RINGBUF}) by walking their mmapped memory from Java:
 * the same protocol as libbpf's {@code ring_buffer__consume}, without libbpf and without a
 * native-to-Java upcall per record (the kernel's {@code rb-custom} bench consumer, in Java).
 *
 * <p>Per ring, as libbpf maps it: the consumer page read-write ({@code consumer_pos} at offset 0),
 * then read-only the producer page ({@code producer_pos} at offset 0) followed by the data area
 * mapped twice, so a record that wraps around the end is still contiguous. A walk reads
 * {@code producer_pos} with acquire semantics, then from {@code consumer_pos} each record's 8-byte
 * header {@code u32 len; u32 pg_off;} (len read with acquire; bit 31 BUSY: reserved, not yet
 * committed, the walk stops there; bit 30 DISCARD: skipped), hands each committed record to the
 * handler, and stores the new {@code consumer_pos} with release semantics once per pass (records
 * are 8-byte aligned: {@code (len + 8 + 7) & ~7} bytes each). libbpf stores it after every record;
 * one store per pass frees space later but at most by one pass's records, and the kernel's
 * "wake the consumer if it had caught up" test still sees a consumer that has caught up.
 *
 * <p>Waiting: one epoll set over all the rings' fds (EPOLLIN, level-triggered, as libbpf).
 * Records submitted with {@code BPF_RB_NO_WAKEUP} wake nobody: {@link #poll} always walks first,
 * and the timeout bounds how late such records are read.
 *
 * <p>Not thread-safe: one consumer thread at a time; close once it has stopped. The handler's
 * segment is the ring's data area; the record is valid only during the call.
 */
public final class RingBufferMmapConsumer implements AutoCloseable {
    static final int BUSY = 1 << 31;
    static final int DISCARD = 1 << 30;
    static final int HEADER_BYTES = 8;
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int MAX_EVENTS = 64;

    /** Receives each committed record: {@code length} bytes at {@code offset} in {@code data}. */
    @FunctionalInterface
    public interface RecordHandler {
        void onRecord(MemorySegment data, long offset, int length);
    }

    /** One mmapped ring. */
    private static final class Ring {
        final String description;
        final int fd;
        final boolean ownsFd;
        final long size;
        final long mask;
        final MemorySegment consumerPage;
        final MemorySegment producerPage;
        final MemorySegment data;
        final long producerMappingBytes;
        long consumerPos;

        Ring(String description, int fd, boolean ownsFd, long size, MemorySegment consumerPage, MemorySegment producerPage, long pageSize) {
            this.description = description;
            this.fd = fd;
            this.ownsFd = ownsFd;
            this.size = size;
            this.mask = size - 1;
            this.consumerPage = consumerPage;
            this.producerPage = producerPage;
            this.producerMappingBytes = pageSize + 2 * size;
            this.data = producerPage.asSlice(pageSize, 2 * size);
            this.consumerPos = (long) LONG.getAcquire(consumerPage, 0L);
        }
    }

    private final RingBufferMmapLibc native_;
    private final RecordHandler handler;
    private final int pageSize;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment waitState;
    private final List<Ring> rings = new ArrayList<>();
    private Ring[] ringArray = new Ring[0];
    private int epollFd = -1;
    private long records;
    private long discarded;
    private long waits;
    private boolean closed;

    public RingBufferMmapConsumer(RecordHandler handler) {
        this.native_ = RingBufferMmapLibc.get();
        this.handler = handler;
        this.pageSize = native_.pageSize();
        this.events = arena.allocate(RingBufferMmapLibc.EPOLL_EVENT_BYTES * MAX_EVENTS, 8);
        this.waitState = Libbpf.allocateCallState(arena);
    }

    /** Adds a ring buffer map of a loaded object; its fd stays libbpf's (close this consumer first). */
    public void add(BpfMap ring) {
        addFd(ring.fd(), ring.name(), false);
    }

    /**
     * Adds the ring in every occupied slot of an array of maps, in slot order, opening each by its
     * id; those fds are closed with this consumer. Returns the number of rings added.
     */
    public int addInnerRings(BpfMap outer) {
        return RingBufferMaps.openInnerRings(outer, (fd, description) -> addFd(fd, description, true));
    }

    /** Adds a ring by fd; the caller keeps the fd open until this consumer is closed, and closes it. */
    public void addFd(int fd, String description) {
        addFd(fd, description, false);
    }

    private void addFd(int fd, String description, boolean ownsFd) {
        requireOpen();
        long size;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment info = native_.mapInfo(fd, call, description);
            int type = info.get(JAVA_INT, RingBufferMmapLibc.MAP_INFO_TYPE);
            if (type != RingBufferMaps.BPF_MAP_TYPE_RINGBUF) {
                throw new IllegalArgumentException("map " + description + " has type " + type + ", not BPF_MAP_TYPE_RINGBUF ("
                        + RingBufferMaps.BPF_MAP_TYPE_RINGBUF + ")");
            }
            size = Integer.toUnsignedLong(info.get(JAVA_INT, RingBufferMmapLibc.MAP_INFO_MAX_ENTRIES));
        }
        MemorySegment consumer = native_.mmap(pageSize, RingBufferMmapLibc.PROT_READ | RingBufferMmapLibc.PROT_WRITE, fd, 0,
                description + " consumer page").reinterpret(pageSize);
        MemorySegment producer;
        try {
            long bytes = pageSize + 2 * size;
            producer = native_.mmap(bytes, RingBufferMmapLibc.PROT_READ, fd, pageSize, description + " producer page and data")
                    .reinterpret(bytes);
        } catch (RuntimeException e) {
            native_.munmap(consumer, pageSize);
            throw e;
        }
        Ring ring = new Ring(description, fd, ownsFd, size, consumer, producer, pageSize);
        if (epollFd < 0) epollFd = native_.epollCreate();
        try {
            native_.epollAdd(epollFd, fd, rings.size(), description);
        } catch (RuntimeException e) {
            unmap(ring);
            throw e;
        }
        rings.add(ring);
        ringArray = rings.toArray(new Ring[0]);
    }

    /** The rings added, in order: map names, with [slot] for inner rings. */
    public List<String> rings() {
        return rings.stream().map(r -> r.description).toList();
    }

    /** Bytes of data area of each ring, in order (its max_entries). */
    public List<Long> ringSizes() {
        return rings.stream().map(r -> r.size).toList();
    }

    /** Handles every committed record available now in every ring, without waiting. Returns the records handled. */
    public int consume() {
        requireRings();
        int handled = 0;
        for (Ring ring : ringArray) handled += walk(ring);
        return handled;
    }

    /**
     * Walks every ring; if none had a record, waits up to {@code timeoutMillis} (0: not at all,
     * -1: forever) for a ring to be notified and walks again. Returns the records handled; 0 on
     * timeout or EINTR.
     */
    public int poll(int timeoutMillis) {
        int handled = consume();
        if (handled > 0 || timeoutMillis == 0) return handled;
        waits++;
        int ready = native_.epollWait(waitState, epollFd, events, MAX_EVENTS, timeoutMillis);
        if (ready == -RingBufferMmapLibc.EINTR) return 0;
        if (ready < 0) throw native_.libbpf().failure("epoll_wait(" + String.join(", ", rings()) + ")", -ready);
        return ready == 0 ? 0 : consume();
    }

    /**
     * One ring: libbpf's ringbuf_process_ring, with one consumer_pos store per pass. Like libbpf's,
     * it returns only when a pass finds nothing new, so under constant production it keeps going.
     */
    private int walk(Ring ring) {
        MemorySegment data = ring.data;
        long mask = ring.mask;
        long cons = ring.consumerPos;
        int handled = 0;
        boolean more;
        do {
            more = false;
            long prod = (long) LONG.getAcquire(ring.producerPage, 0L);
            while (cons < prod) {
                long at = cons & mask;
                int len = (int) INT.getAcquire(data, at);
                if ((len & BUSY) != 0) {
                    break;
                }
                int length = len & ~(BUSY | DISCARD);
                cons += (length + HEADER_BYTES + 7L) & ~7L;
                more = true;
                if ((len & DISCARD) == 0) {
                    handler.onRecord(data, at + HEADER_BYTES, length);
                    handled++;
                } else {
                    discarded++;
                }
            }
            if (more) {
                LONG.setRelease(ring.consumerPage, 0L, cons);
                ring.consumerPos = cons;
            }
        } while (more);
        records += handled;
        return handled;
    }

    /** Records handed to the handler so far. */
    public long records() {
        return records;
    }

    /** Discarded records skipped so far. */
    public long discarded() {
        return discarded;
    }

    /** Times {@link #poll} found every ring empty and waited in epoll_wait. */
    public long waits() {
        return waits;
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("mmap ring buffer consumer is closed");
    }

    private void requireRings() {
        requireOpen();
        if (ringArray.length == 0) throw new IllegalStateException("no ring buffer was added to this consumer");
    }

    private void unmap(Ring ring) {
        native_.munmap(ring.producerPage, ring.producerMappingBytes);
        native_.munmap(ring.consumerPage, pageSize);
    }

    /** Unmaps the rings, closes the epoll fd and the fds this consumer opened; idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Ring ring : rings) {
            unmap(ring);
            if (ring.ownsFd) native_.close(ring.fd);
        }
        if (epollFd >= 0) native_.close(epollFd);
        arena.close();
    }

    @Override
    public String toString() {
        return "RingBufferMmapConsumer" + rings() + (closed ? " (closed)" : "");
    }
}
