package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.Syscalls;
import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.bpf.RingBufferMmapConsumer;
import io.gamerlab.bpf.RingBufferPoller;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One consumer thread draining every ring of a trial (one shared ring, four shards, or one ring
 * per CPU) into an {@link EventDecoder}, through libbpf ({@link RingBufferPoller}: one upcall per
 * record) or through {@link RingBufferMmapConsumer} (the mmapped rings walked from Java).
 *
 * <p>Both run the same loop: drain every ring; when all were empty, wait in epoll_wait for a
 * notification, at most {@link #WAIT_MILLIS} (which bounds how late records submitted with
 * BPF_RB_NO_WAKEUP are read). A spinning consumer never waits: it walks the rings again at once
 * (a CPU of its own, burnt, for the earliest look at each record: what the latency bench needs),
 * under SCHED_FIFO (priority {@value #SPIN_PRIORITY}): on a shared machine an ordinary thread,
 * even at nice -20, gets a fair share against other sessions' work (autogroups) and would be held
 * for whole time slices, which would swamp the latencies it measures.
 * The thread is pinned to one CPU, or left to the scheduler.
 *
 * <p>It can also be paused while a backlog builds up, then time one drain of that backlog
 * ({@link #pause()}, {@link #resumeAndTimeDrain()}): the per-record cost of reading alone, without
 * the wake-ups and waits that dominate the live cost when the consumer keeps up.
 */
final class ConsumerThread implements AutoCloseable {
    static final int WAIT_MILLIS = 1;
    static final int SPIN_PRIORITY = 1;
    private static final long PAUSE_CHECK_NS = 20_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int cpu;
    private final boolean spin;
    private final EventDecoder decoder;
    private final RingBufferPoller poller;
    private final RingBufferMmapConsumer mmap;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean pauseRequested;
    private volatile boolean paused;
    private volatile boolean backlogDone;
    private volatile long backlogEvents;
    private volatile long backlogRecords;
    private volatile long backlogCpuNs;
    private volatile long backlogWallNs;
    /** Times the loop found every ring empty and waited in epoll_wait (written by the consumer thread only). */
    private volatile long waits;
    private volatile Throwable failure;
    private boolean closed;

    /**
     * @param cpu  the CPU to pin the consumer thread to, or -1 to leave it to the scheduler
     * @param spin walk the rings again at once when they were empty, instead of waiting in epoll_wait
     */
    ConsumerThread(Config.ConsumerKind kind, BpfObject object, String ringbuf, EventDecoder decoder, int cpu, boolean spin) {
        this.cpu = cpu;
        this.spin = spin;
        this.decoder = decoder;
        if (kind == Config.ConsumerKind.LIBBPF) {
            poller = new RingBufferPoller(record -> decoder.record(record, 0, (int) record.byteSize()));
            mmap = null;
        } else if (kind == Config.ConsumerKind.MMAP) {
            poller = null;
            mmap = new RingBufferMmapConsumer(decoder::record);
        } else {
            throw new IllegalArgumentException("no consumer for " + kind);
        }
        try {
            switch (ringbuf) {
                case "shared" -> add(object.map("input_ring"));
                case "sharded" -> {
                    for (int shard = 0; object.mapNames().contains("input_ring_" + shard); shard++) add(object.map("input_ring_" + shard));
                }
                case "percpu" -> {
                    BpfMap outer = object.map("input_rings");
                    if (poller != null) poller.addInnerRings(outer);
                    else mmap.addInnerRings(outer);
                }
                default -> throw new IllegalArgumentException("ringbuf " + ringbuf);
            }
        } catch (RuntimeException e) {
            closeReader();
            throw e;
        }
        thread = Thread.ofPlatform().name("ringbuf-consumer-" + kind.label()).daemon().unstarted(this::loop);
        thread.start();
    }

    private void add(BpfMap ring) {
        if (poller != null) poller.add(ring);
        else mmap.add(ring);
    }

    List<String> rings() {
        return poller != null ? poller.rings() : mmap.rings();
    }

    private void loop() {
        try {
            if (cpu >= 0) Syscalls.pinTo(cpu);
            if (spin) Syscalls.setRealtime(SPIN_PRIORITY);
            while (running) {
                if (pauseRequested) {
                    paused = true;
                    while (pauseRequested && running) LockSupport.parkNanos(PAUSE_CHECK_NS);
                    paused = false;
                    if (running) timedDrain();
                    continue;
                }
                if (drain() == 0) {
                    if (spin) {
                        Thread.onSpinWait();
                        continue;
                    }
                    waits++;
                    await();
                }
            }
            drain();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private int drain() {
        return poller != null ? poller.consume() : mmap.consume();
    }

    /** Waits for a notification; libbpf's poll also consumes what the notified rings hold. */
    private void await() {
        if (poller != null) poller.poll(WAIT_MILLIS);
        else mmap.poll(WAIT_MILLIS);
    }

    /** Drains a backlog built while paused, timing it: no waits, no wake-ups, just reading records. */
    private void timedDrain() {
        long events = decoder.events;
        long records = decoder.records;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        while (drain() > 0) {
            // until every ring is empty
        }
        backlogWallNs = System.nanoTime() - t0;
        backlogCpuNs = THREADS.getCurrentThreadCpuTime() - cpu0;
        backlogRecords = decoder.records - records;
        backlogEvents = decoder.events - events;
        backlogDone = true;
    }

    /** Stops the consumer between two drains and returns once it is parked. */
    void pause() {
        backlogDone = false;
        pauseRequested = true;
        while (!paused) {
            requireAlive();
            LockSupport.parkNanos(PAUSE_CHECK_NS);
        }
    }

    /** What one timed drain of a backlog cost: CPU and wall time, records and events read. */
    record Backlog(long events, long records, long cpuNs, long wallNs) {
        double cpuNsPerEvent() {
            return events == 0 ? Double.NaN : (double) cpuNs / events;
        }

        double cpuNsPerRecord() {
            return records == 0 ? Double.NaN : (double) cpuNs / records;
        }
    }

    /** Lets a paused consumer go: it drains the backlog timed, then runs on as before. */
    Backlog resumeAndTimeDrain() {
        pauseRequested = false;
        while (!backlogDone) {
            requireAlive();
            LockSupport.parkNanos(PAUSE_CHECK_NS);
        }
        return new Backlog(backlogEvents, backlogRecords, backlogCpuNs, backlogWallNs);
    }

    /** Times the consumer found every ring empty and waited for a notification (or the timeout). */
    long waits() {
        return waits;
    }

    /** CPU time the consumer thread used so far, in ns. */
    long cpuNs() {
        return THREADS.getThreadCpuTime(thread.threadId());
    }

    void requireAlive() {
        Throwable t = failure;
        if (t != null) throw new IllegalStateException("the consumer thread failed: " + t, t);
    }

    /** Stops the thread after a last drain, and frees the reader. After this the decoder may be read. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) throw new IllegalStateException("the consumer thread did not stop");
        closeReader();
        requireAlive();
    }

    private void closeReader() {
        if (poller != null) poller.close();
        if (mmap != null) mmap.close();
    }
}
