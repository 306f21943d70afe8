package io.gamerlab.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * <b>Question.</b> The Disruptor's first rule is the <i>single writer principle</i>: a sequence
 * that only one thread writes needs no CAS and no lock. What does giving it up cost when several
 * producers (CPUs) feed one consumer? Three ways to have several writers, against the baseline:
 * <ul>
 *   <li>{@code single}: one writer, one ring; publishing is a plain store plus a release store of
 *       the cursor;</li>
 *   <li>{@code cas}: {@code writers} threads claim slots of one ring by CAS on a shared claim
 *       sequence, then mark their slot published with a per-slot stamp (as the Disruptor's
 *       multi-producer sequencer does with its availability buffer);</li>
 *   <li>{@code lock}: {@code writers} threads take a {@link ReentrantLock} to claim, write and
 *       publish;</li>
 *   <li>{@code perWriter}: one single-writer ring per writer; the consumer visits them round
 *       robin. No contended write at all, at the price of more rings to poll.</li>
 * </ul>
 * The JMH thread is the one consumer: each call drains {@value #EVENTS_PER_CALL} events, so the
 * primary score is <b>consumed events per microsecond</b>. Writers are background threads started
 * for each iteration; they spin (then yield) when the ring is full. Sequences live 128 bytes apart
 * so they do not falsely share.
 *
 * <p><b>Batching.</b> Each time the consumer looks at a ring and finds new events, that is one
 * batch. {@code @AuxCounters} report {@code batches} and {@code events} (totals) beside the
 * throughput; {@link JmhResults} derives, as the Disruptor's own perf tests do,
 * {@code batch_percent = 1 - batches/events} and {@code avg_batch_size = events/batches}. A
 * consumer that falls behind catches up in big batches, which is how a ring amortises its
 * synchronisation.
 *
 * <p><b>Reading the result.</b> First look at {@code avg_batch_size}: near {@value #RING_SIZE}
 * (the ring size) means the ring is always full, the consumer is the bottleneck and the scores
 * compare consumer-side costs (pulling the writers' lines across, cas's per-slot stamp checks);
 * small batches mean the consumer keeps up and the writers' side is what is measured.
 * cas/single and lock/single below 1 are the cost of contended
 * writes (cache-line ping-pong on the claim sequence, lock hand-offs, a preempted lock holder);
 * perWriter near single says partitioning per CPU restores it. On 2 cores, 2 writers plus the
 * consumer are 3 busy threads: the scheduler's time-slicing is part of what is measured, exactly
 * as it would be for the real per-CPU producers. {@code writers} can be raised with
 * {@code -p writers=4} on bigger machines; {@code single} always has exactly one.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(RingWritersBench.EVENTS_PER_CALL)
@State(Scope.Benchmark)
public class RingWritersBench {

    static final int EVENTS_PER_CALL = 1 << 12;
    static final int RING_SIZE = 1 << 12;

    @Param({"single", "cas", "lock", "perWriter"})
    public String mode;

    /** Writers for cas, lock and perWriter; single has one. */
    @Param({"2"})
    public int writers;

    /** Consumer-observed batching, reported beside the throughput (totals over the iteration). */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Batches {
        public long batches;
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            batches = 0;
            events = 0;
        }
    }

    private Ring[] rings;
    // Consumer-only cursors, written on every batch: ring r's are at index (r + 1) * 16, so they
    // sit 128 bytes from each other and from whatever the allocator put next to the arrays.
    private long[] head;   // next sequence to read
    private long[] limit;  // end of the batch last seen (inclusive)
    private int current;
    private Thread[] writerThreads;
    private volatile boolean running;

    @Setup(Level.Iteration)
    public void start() {
        int n = mode.equals("single") ? 1 : writers;
        rings = switch (mode) {
            case "single" -> new Ring[] {new SingleWriterRing()};
            case "cas" -> new Ring[] {new CasRing()};
            case "lock" -> new Ring[] {new LockRing()};
            case "perWriter" -> {
                Ring[] each = new Ring[n];
                for (int i = 0; i < n; i++) each[i] = new SingleWriterRing();
                yield each;
            }
            default -> throw new IllegalArgumentException("mode is single, cas, lock or perWriter, not " + mode);
        };
        head = new long[(rings.length + 2) * Ring.PAD];
        limit = new long[(rings.length + 2) * Ring.PAD];
        Arrays.fill(limit, -1);
        current = 0;
        running = true;
        writerThreads = new Thread[n];
        for (int w = 0; w < n; w++) {
            Ring ring = rings[rings.length == 1 ? 0 : w];
            long id = w;
            // The Writer is allocated by its own thread, in that thread's TLAB: allocated here it
            // would share a cache line with the consumer's cursors (a false-sharing bug this very
            // bench had: single writer at 2 events/us).
            writerThreads[w] = Thread.ofPlatform().name("ring-writer-" + w).daemon()
                    .start(() -> new Writer(ring, id).run());
        }
    }

    @TearDown(Level.Iteration)
    public void stop() throws InterruptedException {
        running = false;
        for (Thread t : writerThreads) t.join();
    }

    /** The consumer: drains {@value #EVENTS_PER_CALL} events, batch by batch. */
    @Benchmark
    public long drain(Batches counters) {
        Ring[] rings = this.rings;
        long sum = 0;
        int left = EVENTS_PER_CALL, idle = 0, r = current;
        while (left > 0) {
            Ring ring = rings[r];
            int c = (r + 1) * Ring.PAD;
            long from = head[c];
            if (from > limit[c]) {                    // last batch used up: look for a new one
                long upTo = ring.available(from);
                if (upTo < from) {                    // nothing there: try the next ring, then wait
                    r = r + 1 == rings.length ? 0 : r + 1;
                    idle = Idle.pause(idle);
                    continue;
                }
                limit[c] = upTo;
                counters.batches++;
                idle = 0;
            }
            long to = Math.min(limit[c], from + left - 1);
            for (long s = from; s <= to; s++) sum += ring.valueAt(s);
            ring.consumed(to);
            int n = (int) (to - from + 1);
            left -= n;
            counters.events += n;
            head[c] = to + 1;
            if (to == limit[c]) r = r + 1 == rings.length ? 0 : r + 1;   // batch done: round robin
        }
        current = r;
        return sum;
    }

    /** A producer thread; its fields are its own (its next sequence, its view of the consumer). */
    final class Writer implements Runnable {
        final Ring ring;
        final long id;
        long next;
        long cachedConsumed = -1;

        Writer(Ring ring, long id) {
            this.ring = ring;
            this.id = id;
        }

        @Override
        public void run() {
            long value = id << 40;
            int idle = 0;
            while (running) {
                if (ring.tryPublish(value, this)) {
                    value++;
                    idle = 0;
                } else {
                    idle = Idle.pause(idle);
                }
            }
        }
    }

    /** A ring of {@value #RING_SIZE} long events; sequences start at 0. */
    abstract static class Ring {
        static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
        static final int PAD = 16;                       // 16 longs = 128 bytes between sequences
        static final int CURSOR = PAD, CLAIM = 2 * PAD, CONSUMED = 3 * PAD;
        static final int MASK = RING_SIZE - 1;

        final long[] seq = new long[4 * PAD];

        Ring() {
            seq[CURSOR] = -1;
            seq[CLAIM] = -1;
            seq[CONSUMED] = -1;
        }

        /** Publishes one event, or returns false at once if the ring is full. */
        abstract boolean tryPublish(long value, Writer w);

        /** Highest sequence readable from {@code from} on; {@code from - 1} if none. */
        abstract long available(long from);

        abstract long valueAt(long sequence);

        /** The consumer is done with everything up to {@code sequence}: writers may reuse those slots. */
        final void consumed(long sequence) {
            LONGS.setRelease(seq, CONSUMED, sequence);
        }

        /** Is slot {@code sequence} free? Reads the consumer's sequence only when the writer's cached copy says no. */
        final boolean hasRoom(long sequence, Writer w) {
            long wrap = sequence - RING_SIZE;
            if (wrap <= w.cachedConsumed) return true;
            w.cachedConsumed = (long) LONGS.getAcquire(seq, CONSUMED);
            return wrap <= w.cachedConsumed;
        }
    }

    /**
     * A ring whose writers publish in sequence order by a release store of the cursor: everything
     * up to the cursor is readable, straight from the slot array.
     */
    abstract static class CursorRing extends Ring {
        final long[] slots = new long[RING_SIZE];

        @Override
        final long available(long from) {
            return (long) LONGS.getAcquire(seq, CURSOR);
        }

        @Override
        final long valueAt(long sequence) {
            return slots[(int) (sequence & MASK)];
        }
    }

    /** Exactly one writer: plain store of the event, release store of the cursor. */
    static final class SingleWriterRing extends CursorRing {
        @Override
        boolean tryPublish(long value, Writer w) {
            long s = w.next;
            if (!hasRoom(s, w)) return false;
            slots[(int) (s & MASK)] = value;
            LONGS.setRelease(seq, CURSOR, s);
            w.next = s + 1;
            return true;
        }
    }

    /** Writers claim by CAS on the shared claim sequence; a per-slot stamp publishes each event. */
    static final class CasRing extends Ring {
        final long[] slots = new long[2 * RING_SIZE];   // (stamp, value) pairs: stamp = sequence once published

        CasRing() {
            for (int i = 0; i < RING_SIZE; i++) slots[2 * i] = -1;
        }

        @Override
        boolean tryPublish(long value, Writer w) {
            long s;
            do {
                s = (long) LONGS.getAcquire(seq, CLAIM) + 1;
                if (!hasRoom(s, w)) return false;
            } while (!LONGS.compareAndSet(seq, CLAIM, s - 1, s));
            int i = 2 * (int) (s & MASK);
            slots[i + 1] = value;
            LONGS.setRelease(slots, i, s);
            return true;
        }

        @Override
        long available(long from) {
            long claimed = (long) LONGS.getAcquire(seq, CLAIM);
            long s = from;
            while (s <= claimed && (long) LONGS.getAcquire(slots, 2 * (int) (s & MASK)) == s) s++;
            return s - 1;
        }

        @Override
        long valueAt(long sequence) {
            return slots[2 * (int) (sequence & MASK) + 1];
        }
    }

    /** Writers claim, write and publish under one lock. */
    static final class LockRing extends CursorRing {
        final ReentrantLock lock = new ReentrantLock();

        @Override
        boolean tryPublish(long value, Writer w) {
            lock.lock();
            try {
                long s = seq[CLAIM] + 1;              // guarded by the lock
                if (!hasRoom(s, w)) return false;
                slots[(int) (s & MASK)] = value;
                seq[CLAIM] = s;
                LONGS.setRelease(seq, CURSOR, s);
                return true;
            } finally {
                lock.unlock();
            }
        }
    }
}
