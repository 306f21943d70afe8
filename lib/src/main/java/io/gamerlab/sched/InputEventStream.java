package io.gamerlab.sched;

import io.gamerlab.util.Histograms;
import io.gamerlab.util.ThreadId;
import java.util.concurrent.CompletableFuture;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.bpf.RingBufferMaps;
import io.gamerlab.bpf.RingBufferPoller;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The input events of a loaded BPF object that includes {@code bpf/input_events.bpf.h} (the
 * scheduler, or the bench trigger), read on a consumer thread of its own.
 *
 * <p>It finds the object's ring layout from its maps ({@code input_ring}: shared;
 * {@code input_ring_0..3}: sharded; {@code input_rings}, an array of maps: per-CPU, whose rings it
 * creates, one per possible CPU, sized like the declared template), polls every ring with one
 * {@link RingBufferPoller} (one upcall per record), decodes events and batches, and keeps:
 * events received, per-CPU sequence gaps (lost events) and reorderings, what BPF counted (drops,
 * timer flushes, ...), and the latency from the BPF timestamp to receipt.
 *
 * <p>Latency compares bpf_ktime_get_ns() with System.nanoTime(): both are CLOCK_MONOTONIC on
 * Linux (HotSpot's javaTimeNanos reads clock_gettime(CLOCK_MONOTONIC); the kernel's
 * ktime_get_mono_fast_ns is that clock), which InputEventClockTest checks. The receipt time is
 * taken once per record, so the events of a batch share it; with batching, latency includes the
 * time an event waited for its batch (up to input_flush_ns).
 *
 * <p>Start the stream after {@link BpfObject#load()} and before attaching the producing program:
 * per-CPU rings do not exist until the stream creates them (events before that are dropped and
 * counted). The consumer thread is not pinned. Closing the stream leaves the object open.
 */
public final class InputEventStream implements AutoCloseable {

    /** The ring layouts of input_events.bpf.h: the values of the ringbuf variant axis. */
    public enum Layout { SHARED, PERCPU, SHARDED }

    static final String STATE_MAP = InputPathCounters.STATE_MAP;
    static final String DROPS_MAP = InputPathCounters.DROPS_MAP;
    static final String SHARED_RING = "input_ring";
    static final String PERCPU_RINGS = "input_rings";
    static final String SHARD_PREFIX = "input_ring_";
    static final int EVENT_BYTES = 32;
    static final int BATCH_HEADER_BYTES = 8;
    static final int FLUSH_TIMER_FLAG = 1;
    private static final int BPF_MAP_TYPE_ARRAY_OF_MAPS = 12;
    private static final int DEFAULT_POLL_MILLIS = 50;

    private final BpfObject object;
    private final Layout layout;
    private final RingBufferPoller poller;
    private final InputEventListener listener;
    private final int pollMillis;
    private final Thread consumer;
    private final CompletableFuture<Integer> consumerTid = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile Throwable consumerFailure;

    // Guarded by this: written by the consumer thread, read by snapshot().
    private final Histogram latency = Histograms.create();
    private long events;
    private long records;
    private long timerRecords;
    private long malformed;
    private long reordered;
    private long negativeLatencies;
    private long[] maxSeq = new long[0];
    private long[] receivedPerCpu = new long[0];

    private InputEventStream(BpfObject object, Layout layout, InputEventListener listener, int pollMillis) {
        this.object = object;
        this.layout = layout;
        this.listener = listener;
        this.pollMillis = pollMillis;
        this.poller = new RingBufferPoller(this::onRecord);
        this.consumer = Thread.ofPlatform().name("gamerlab-input-events").daemon().unstarted(this::consume);
    }

    /**
     * Optional, between open and load: gives the per-CPU maps (state slots, and per-CPU rings) one
     * entry per possible CPU when their declared maximum (GAMER_INPUT_MAX_CPUS, 64) is lower.
     */
    public static void prepare(BpfObject opened) {
        for (String name : List.of(STATE_MAP, PERCPU_RINGS)) {
            if (!opened.mapNames().contains(name)) continue;
            BpfMap map = opened.map(name);
            if (map.maxEntries() < map.possibleCpus()) map.setMaxEntries(map.possibleCpus());
        }
    }

    /** Starts reading a loaded object's input events; polls wait at most 50 ms. */
    public static InputEventStream start(BpfObject loaded) {
        return start(loaded, null, DEFAULT_POLL_MILLIS);
    }

    public static InputEventStream start(BpfObject loaded, InputEventListener listener) {
        return start(loaded, listener, DEFAULT_POLL_MILLIS);
    }

    /**
     * @param listener   sees each decoded event on the consumer thread; may be null
     * @param pollMillis longest wait of one poll: bounds how late records submitted without a
     *                   wake-up (input_wakeup_every > 1) are read, and how long close() takes
     */
    public static InputEventStream start(BpfObject loaded, InputEventListener listener, int pollMillis) {
        if (!loaded.isLoaded()) throw new IllegalStateException("load " + loaded.file() + " before starting its input event stream");
        List<String> maps = loaded.mapNames();
        if (!maps.contains(STATE_MAP) || !maps.contains(DROPS_MAP))
            throw new IllegalArgumentException(loaded.file() + " has no input event maps (" + STATE_MAP + ", " + DROPS_MAP
                    + "): does it include input_events.bpf.h? Its maps are " + maps);
        Layout layout = layoutOf(loaded, maps);
        InputEventStream stream = new InputEventStream(loaded, layout, listener, pollMillis);
        try {
            stream.attachRings(maps);
        } catch (RuntimeException e) {
            stream.poller.close();
            throw e;
        }
        stream.consumer.start();
        return stream;
    }

    static Layout layoutOf(BpfObject object, List<String> maps) {
        if (maps.contains(PERCPU_RINGS) && object.map(PERCPU_RINGS).type() == BPF_MAP_TYPE_ARRAY_OF_MAPS) return Layout.PERCPU;
        if (maps.contains(SHARD_PREFIX + 0)) return Layout.SHARDED;
        if (maps.contains(SHARED_RING)) return Layout.SHARED;
        throw new IllegalArgumentException(object.file() + " has none of the ring maps " + SHARED_RING + ", "
                + SHARD_PREFIX + "N, " + PERCPU_RINGS + "; its maps are " + maps);
    }

    private void attachRings(List<String> maps) {
        BpfMap state = object.map(STATE_MAP);
        int cpus = state.possibleCpus();
        if (state.maxEntries() < cpus)
            throw new IllegalStateException(STATE_MAP + " has " + state.maxEntries() + " slots for " + cpus
                    + " possible CPUs: call InputEventStream.prepare(object) before load");
        switch (layout) {
            case SHARED -> poller.add(object.map(SHARED_RING));
            case SHARDED -> {
                for (int shard = 0; maps.contains(SHARD_PREFIX + shard); shard++) poller.add(object.map(SHARD_PREFIX + shard));
            }
            case PERCPU -> {
                BpfMap outer = object.map(PERCPU_RINGS);
                if (outer.maxEntries() < cpus)
                    throw new IllegalStateException(PERCPU_RINGS + " has " + outer.maxEntries() + " slots for " + cpus
                            + " possible CPUs: call InputEventStream.prepare(object) before load");
                RingBufferMaps.fillArrayOfMaps(outer, cpus, outer.innerMapMaxEntries(), "gamer_in_cpu");
                poller.addInnerRings(outer);
            }
        }
    }

    /** The kernel thread id of the consumer thread (waits for it to start). */
    public int consumerThreadId() {
        return consumerTid.join();
    }

    public Layout layout() {
        return layout;
    }

    /** The rings polled, e.g. [input_rings[0], input_rings[1]]. */
    public List<String> rings() {
        return poller.rings();
    }

    // ---- consumer thread ----

    private void consume() {
        consumerTid.complete(ThreadId.current());
        try {
            while (running) {
                // Records sent with BPF_RB_NO_WAKEUP notify nobody: consume whenever a poll times out.
                if (poller.poll(pollMillis) == 0) poller.consume();
            }
        } catch (Throwable t) {
            consumerFailure = t;
        }
    }

    /** One ring record: a bare event (batch=1) or a batch of 1..B events. */
    private void onRecord(MemorySegment record) {
        long receivedNs = System.nanoTime();
        long size = record.byteSize();
        synchronized (this) {
            records++;
            if (size == EVENT_BYTES) {
                event(record, 0, receivedNs);
                return;
            }
            long capacity = (size - BATCH_HEADER_BYTES) / EVENT_BYTES;
            int count = Short.toUnsignedInt(record.get(JAVA_SHORT, 0));
            int flags = Short.toUnsignedInt(record.get(JAVA_SHORT, 2));
            if (size < BATCH_HEADER_BYTES + EVENT_BYTES || (size - BATCH_HEADER_BYTES) % EVENT_BYTES != 0
                    || count < 1 || count > capacity) {
                malformed++;
                return;
            }
            if ((flags & FLUSH_TIMER_FLAG) != 0) timerRecords++;
            for (int i = 0; i < count; i++) event(record, BATCH_HEADER_BYTES + (long) i * EVENT_BYTES, receivedNs);
        }
    }

    /** struct gamer_input_event { u64 ts_ns; u64 seq; u32 cpu; u32 device; u16 type; u16 code; s32 value; } */
    private void event(MemorySegment record, long at, long receivedNs) {
        long ts = record.get(JAVA_LONG, at);
        long seq = record.get(JAVA_LONG, at + 8);
        int cpu = record.get(JAVA_INT, at + 16);
        events++;
        if (cpu >= 0) {
            if (cpu >= maxSeq.length) {
                int length = Math.max(cpu + 1, maxSeq.length * 2);
                int old = maxSeq.length;
                maxSeq = Arrays.copyOf(maxSeq, length);
                Arrays.fill(maxSeq, old, length, -1);
                receivedPerCpu = Arrays.copyOf(receivedPerCpu, length);
            }
            if (seq > maxSeq[cpu]) maxSeq[cpu] = seq;
            else reordered++;
            receivedPerCpu[cpu]++;
        }
        long delay = receivedNs - ts;
        if (delay < 0) negativeLatencies++;
        latency.recordValue(Math.max(0, delay));
        if (listener != null) {
            listener.onEvent(ts, seq, cpu, record.get(JAVA_INT, at + 20), Short.toUnsignedInt(record.get(JAVA_SHORT, at + 24)),
                    Short.toUnsignedInt(record.get(JAVA_SHORT, at + 26)), record.get(JAVA_INT, at + 28), receivedNs);
        }
    }

    // ---- reading ----

    /** The numbers so far; the BPF counters are read from the kernel now. */
    public InputEventSnapshot snapshot() {
        requireConsumerAlive();
        InputPathCounters bpf = InputPathCounters.read(object);
        synchronized (this) {
            long gaps = 0;
            List<Long> perCpu = new ArrayList<>();
            for (int cpu = 0; cpu < maxSeq.length; cpu++) {
                gaps += maxSeq[cpu] + 1 - receivedPerCpu[cpu];
                perCpu.add(receivedPerCpu[cpu]);
            }
            return new InputEventSnapshot(layout, poller.rings().size(), events, records, timerRecords,
                    Math.max(0, gaps), reordered, malformed,
                    bpf.totalDrops(), bpf.totalRecords(), bpf.totalEvents(), bpf.totalTimerFlushes(), bpf.totalTimerRetries(),
                    bpf.totalTimerStarts(), bpf.totalNested(), bpf.totalTimerErrors(), bpf.totalPending(), perCpu, negativeLatencies,
                    latency.copy());
        }
    }

    /**
     * Waits until BPF holds no staged or queued event and every record BPF submitted has been
     * received, up to {@code timeout}. Returns whether that happened. Stop the producer first,
     * or this may chase a moving target.
     */
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            requireConsumerAlive();
            InputPathCounters bpf = InputPathCounters.read(object);
            long received;
            synchronized (this) {
                received = records;
            }
            if (bpf.totalPending() == 0 && received >= bpf.totalRecords()) return true;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        } while (System.nanoTime() < deadline);
        return false;
    }

    private void requireConsumerAlive() {
        Throwable failure = consumerFailure;
        if (failure != null) throw new IllegalStateException("the input event consumer thread failed: " + failure, failure);
    }

    /** Stops the consumer thread, reads what is left in the rings, and frees the poller. */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        try {
            consumer.join(Duration.ofMillis(pollMillis).multipliedBy(4).plusSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (consumer.isAlive()) throw new IllegalStateException("the input event consumer thread did not stop");
        try {
            if (consumerFailure == null) poller.consume();
        } finally {
            poller.close();
        }
    }
}
