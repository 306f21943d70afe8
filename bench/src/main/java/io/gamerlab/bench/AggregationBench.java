package io.gamerlab.bench;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <b>Question.</b> Per-CPU event streams (N producer threads) are aggregated by one consumer. Is
 * the LMAX Disruptor (a multi-producer {@link RingBuffer} drained by a {@link BatchEventProcessor})
 * faster at that than the JDK's {@link ArrayBlockingQueue} and {@link ConcurrentLinkedQueue}, on
 * this host?
 *
 * <p><b>How</b>, after the Disruptor's own throughput tests: one call is one run of
 * {@value #EVENTS_PER_RUN} events, split evenly over {@code producers} threads that are released
 * together by a barrier; the call returns when the consumer has taken the run's last event. The
 * score is <b>events per microsecond</b> ({@code @OperationsPerInvocation}). Producers and
 * consumer are kept across calls; waiting threads block or yield, never spin forever (2 cores).
 * <ul>
 *   <li>{@code disruptor}: {@code RingBuffer.createMultiProducer} of {@value #CAPACITY} preallocated
 *       events, {@link YieldingWaitStrategy}; publish is {@code next()}, write, {@code publish()};</li>
 *   <li>{@code abq}: {@code ArrayBlockingQueue} of the same capacity, {@code put}/{@code take};</li>
 *   <li>{@code clq}: unbounded {@code ConcurrentLinkedQueue}, {@code offer}/{@code poll}.</li>
 * </ul>
 * The queues box each event ({@code Long}) and allocate a node (CLQ); the ring reuses its
 * preallocated events. That difference is one of the Disruptor's claims, so it is measured, not
 * avoided.
 *
 * <p><b>Checksum.</b> Every run is verified as the Disruptor's tests verify theirs: the consumer sums
 * a mixed hash of every event ({@link Checksum}) and the call fails if the sum differs from the
 * expected one (an event lost and another duplicated), or if the run's last event never arrives
 * within {@value #TIMEOUT_SECONDS} s (an event lost). A fast wrong answer never becomes a score.
 *
 * <p><b>Reading the result.</b> disruptor/abq and disruptor/clq above 1 mean the ring wins here.
 * With {@code producers=2} on 2 cores, producers and consumer share the cores, so contention and
 * the wait strategy both show. Try {@code -p producers=1,2,4}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(AggregationBench.EVENTS_PER_RUN)
@State(Scope.Benchmark)
public class AggregationBench {

    static final int EVENTS_PER_RUN = 1 << 17;
    static final int CAPACITY = 1 << 13;
    static final long TIMEOUT_SECONDS = 30;

    @Param({"disruptor", "abq", "clq"})
    public String impl;

    @Param({"1", "2"})
    public int producers;

    private Channel channel;
    private Sink sink;
    private CyclicBarrier startGate;
    private Thread[] producerThreads;
    private volatile boolean stopping;
    private Checksum expected;

    /**
     * Sum of a mixed hash of every event. A plain sum or count would miss a lost event offset by a
     * duplicated one ({3, 5} lost, {4, 4} doubled); mixing each value first makes that vanishingly
     * unlikely.
     */
    public static final class Checksum {
        private long count;
        private long sum;

        /** The value producer {@code producer} sends as its {@code i}-th event of a run. */
        public static long event(int producer, int i) {
            return ((long) producer << 32) | i;
        }

        /** A bijective 64-bit mix (SplitMix64's finaliser). */
        public static long mix(long v) {
            v = (v ^ (v >>> 30)) * 0xbf58476d1ce4e5b9L;
            v = (v ^ (v >>> 27)) * 0x94d049bb133111ebL;
            return v ^ (v >>> 31);
        }

        /** The checksum of one complete run. */
        public static Checksum expected(int producers, int eventsPerProducer) {
            Checksum c = new Checksum();
            for (int p = 0; p < producers; p++)
                for (int i = 0; i < eventsPerProducer; i++) c.add(event(p, i));
            return c;
        }

        public void add(long event) {
            count++;
            sum += mix(event);
        }

        public long count() {
            return count;
        }

        public long sum() {
            return sum;
        }

        /** Throws unless {@code seen} has exactly the events of {@code this}. */
        public void verify(Checksum seen) {
            if (seen.count != count || seen.sum != sum)
                throw new IllegalStateException("checksum mismatch: expected " + count + " events with sum "
                        + Long.toHexString(sum) + ", the consumer saw " + seen.count + " with sum "
                        + Long.toHexString(seen.sum) + ": events were lost or duplicated");
        }
    }

    /** The consumer's side: checksums the run's events, hands the finished checksum to the caller. */
    static final class Sink {
        private final int runLength;
        private final Semaphore done = new Semaphore(0);
        private Checksum current = new Checksum();   // consumer thread only
        private Checksum finished;                   // handed over through the semaphore

        Sink(int runLength) {
            this.runLength = runLength;
        }

        void accept(long event) {
            current.add(event);
            if (current.count() == runLength) {
                finished = current;
                current = new Checksum();
                done.release();
            }
        }

        /** Waits for the run's last event and returns the run's checksum; throws if it never comes. */
        Checksum awaitRun(long timeout, TimeUnit unit) throws InterruptedException {
            if (!done.tryAcquire(timeout, unit))
                throw new IllegalStateException("events lost: the consumer saw only " + current.count() + " of "
                        + runLength + " events within " + timeout + " " + unit);
            return finished;
        }
    }

    /** One way from N producers to one consumer. */
    interface Channel {
        void publish(long event) throws InterruptedException;

        void close() throws InterruptedException;
    }

    static final class LongEvent {
        long value;
    }

    static final class DisruptorChannel implements Channel {
        private final RingBuffer<LongEvent> ring;
        private final BatchEventProcessor<LongEvent> processor;
        private final Thread thread;

        DisruptorChannel(Sink sink) {
            ring = RingBuffer.createMultiProducer(LongEvent::new, CAPACITY, new YieldingWaitStrategy());
            processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(),
                    (event, sequence, endOfBatch) -> sink.accept(event.value));
            ring.addGatingSequences(processor.getSequence());
            thread = Thread.ofPlatform().name("disruptor-consumer").daemon().start(processor);
        }

        @Override
        public void publish(long event) {
            long sequence = ring.next();
            ring.get(sequence).value = event;
            ring.publish(sequence);
        }

        @Override
        public void close() throws InterruptedException {
            processor.halt();
            thread.join();
        }
    }

    static final class BlockingQueueChannel implements Channel {
        private final ArrayBlockingQueue<Long> queue = new ArrayBlockingQueue<>(CAPACITY);
        private final Thread thread;

        BlockingQueueChannel(Sink sink) {
            thread = Thread.ofPlatform().name("abq-consumer").daemon().start(() -> {
                try {
                    while (true) sink.accept(queue.take());
                } catch (InterruptedException e) {
                    // closed
                }
            });
        }

        @Override
        public void publish(long event) throws InterruptedException {
            queue.put(event);
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }

    static final class LinkedQueueChannel implements Channel {
        private final ConcurrentLinkedQueue<Long> queue = new ConcurrentLinkedQueue<>();
        private final Thread thread;
        private volatile boolean open = true;

        LinkedQueueChannel(Sink sink) {
            thread = Thread.ofPlatform().name("clq-consumer").daemon().start(() -> {
                int idle = 0;
                while (open) {
                    Long event = queue.poll();
                    if (event == null) {
                        idle = Idle.pause(idle);
                    } else {
                        sink.accept(event);
                        idle = 0;
                    }
                }
            });
        }

        @Override
        public void publish(long event) {
            queue.offer(event);
        }

        @Override
        public void close() throws InterruptedException {
            open = false;
            thread.join();
        }
    }

    @Setup(Level.Trial)
    public void start() {
        if (EVENTS_PER_RUN % producers != 0)
            throw new IllegalArgumentException("producers must divide " + EVENTS_PER_RUN + ", not " + producers);
        int perProducer = EVENTS_PER_RUN / producers;
        expected = Checksum.expected(producers, perProducer);
        sink = new Sink(EVENTS_PER_RUN);
        channel = switch (impl) {
            case "disruptor" -> new DisruptorChannel(sink);
            case "abq" -> new BlockingQueueChannel(sink);
            case "clq" -> new LinkedQueueChannel(sink);
            default -> throw new IllegalArgumentException("impl is disruptor, abq or clq, not " + impl);
        };
        stopping = false;
        startGate = new CyclicBarrier(producers + 1);
        producerThreads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            producerThreads[p] = Thread.ofPlatform().name("producer-" + p).daemon().start(() -> produce(id, perProducer));
        }
    }

    private void produce(int id, int perProducer) {
        try {
            while (true) {
                startGate.await();
                if (stopping) return;
                for (int i = 0; i < perProducer; i++) channel.publish(Checksum.event(id, i));
            }
        } catch (InterruptedException | BrokenBarrierException e) {
            // shut down
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        stopping = true;
        try {
            startGate.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (BrokenBarrierException | TimeoutException e) {
            for (Thread t : producerThreads) t.interrupt();   // a failed run left some producer stuck
        }
        for (Thread t : producerThreads) t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        channel.close();
    }

    /** One run: release the producers, wait for the consumer to see every event, verify. */
    @Benchmark
    public long run() throws Exception {
        startGate.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Checksum seen = sink.awaitRun(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        expected.verify(seen);
        return seen.sum();
    }
}
