package io.gamerlab.bench.ringbuf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Decodes the records of input_events.bpf.h (a bare 32-byte {@code struct gamer_input_event} with
 * batch=1; a {@code struct gamer_input_batch} of 8 + 32*B bytes otherwise) and checks two
 * sequences for every event: the per-CPU {@code seq} BPF assigns (gaps are events BPF numbered
 * but that never arrived; a reversal is a reordering), and the per-producer position: the
 * counter the producer put in getpgid's argument (see {@link Producers#value}) and, for a burst
 * of events per call, the event's index in its burst ({@code code}: 0..burst-1), so a producer's
 * events run counter 0 code 0..burst-1, counter 1 code 0..burst-1, and so on.
 *
 * <p>An {@link Observer} (optional) sees each event's BPF timestamp as it is decoded: how the
 * latency bench measures when an event became available.
 *
 * <p>Runs on the one consumer thread, allocation-free. The counts of events and records are also
 * published with release stores, so another thread can read them mid-run ({@link #eventsSoFar()}).
 */
final class EventDecoder {
    static final int EVENT_BYTES = 32;
    static final int BATCH_HEADER_BYTES = 8;
    static final int FLUSH_TIMER_FLAG = 1;
    private static final VarHandle EVENTS;
    private static final VarHandle RECORDS;

    static {
        try {
            EVENTS = MethodHandles.lookup().findVarHandle(EventDecoder.class, "publishedEvents", long.class);
            RECORDS = MethodHandles.lookup().findVarHandle(EventDecoder.class, "publishedRecords", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Sees each event as it is decoded, on the consumer thread. */
    interface Observer {
        /**
         * @param tsNs          the event's bpf_ktime_get_ns() at creation (CLOCK_MONOTONIC)
         * @param code          its index in its burst
         * @param indexInRecord 0 for the first event of its record
         */
        void event(long tsNs, int code, int indexInRecord);
    }

    private final int producers;
    private final int burst;
    /** Positions per producer before they repeat: the counter's range times the burst. */
    private final long period;
    private final Observer observer;
    long events;
    long records;
    long timerRecords;
    long malformed;
    /** Events whose value names no producer of this trial. */
    long foreign;
    /** Per-CPU seq lower than one already seen on that CPU. */
    long reordered;
    long[] maxSeq;
    long[] receivedPerCpu;
    final long[] receivedPerProducer;
    /** The position (counter * burst + code) each producer's next event should carry. */
    private final long[] expected;
    /** Events skipped in a producer's counter sequence (losses between received events). */
    long producerGaps;
    long producerReordered;
    @SuppressWarnings("unused") private long publishedEvents;
    @SuppressWarnings("unused") private long publishedRecords;

    EventDecoder(int cpus, int producers) {
        this(cpus, producers, 1, null);
    }

    /** @param burst events per getpgid call, numbered 0..burst-1 in their {@code code} */
    EventDecoder(int cpus, int producers, int burst, Observer observer) {
        if (burst < 1 || burst > Producers.MAX_BURST) throw new IllegalArgumentException("burst " + burst);
        this.producers = producers;
        this.burst = burst;
        this.period = (long) burst << Producers.COUNTER_BITS;
        this.observer = observer;
        this.maxSeq = new long[cpus];
        Arrays.fill(maxSeq, -1);
        this.receivedPerCpu = new long[cpus];
        this.receivedPerProducer = new long[producers];
        this.expected = new long[producers];
    }

    /** One ring record: {@code length} bytes at {@code offset} of {@code data}. */
    void record(MemorySegment data, long offset, int length) {
        records++;
        if (length == EVENT_BYTES) {
            event(data, offset, 0);
        } else {
            int count = Short.toUnsignedInt(data.get(JAVA_SHORT, offset));
            int flags = Short.toUnsignedInt(data.get(JAVA_SHORT, offset + 2));
            long capacity = (length - BATCH_HEADER_BYTES) / EVENT_BYTES;
            if (length < BATCH_HEADER_BYTES + EVENT_BYTES || (length - BATCH_HEADER_BYTES) % EVENT_BYTES != 0 || count < 1 || count > capacity) {
                malformed++;
            } else {
                if ((flags & FLUSH_TIMER_FLAG) != 0) timerRecords++;
                for (int i = 0; i < count; i++) event(data, offset + BATCH_HEADER_BYTES + (long) i * EVENT_BYTES, i);
            }
        }
        RECORDS.setRelease(this, records);
        EVENTS.setRelease(this, events);
    }

    /** struct gamer_input_event { u64 ts_ns; u64 seq; u32 cpu; u32 device; u16 type; u16 code; s32 value; } */
    private void event(MemorySegment data, long at, int indexInRecord) {
        long seq = data.get(JAVA_LONG, at + 8);
        int cpu = data.get(JAVA_INT, at + 16);
        int code = Short.toUnsignedInt(data.get(JAVA_SHORT, at + 26));
        int value = data.get(JAVA_INT, at + 28);
        events++;
        if (observer != null) observer.event(data.get(JAVA_LONG, at), code, indexInRecord);
        if (cpu >= 0) {
            if (cpu >= maxSeq.length) grow(cpu + 1);
            if (seq > maxSeq[cpu]) maxSeq[cpu] = seq;
            else reordered++;
            receivedPerCpu[cpu]++;
        }
        int producer = (value >>> Producers.COUNTER_BITS) - 1;
        if (producer < 0 || producer >= producers || code >= burst) {
            foreign++;
            return;
        }
        receivedPerProducer[producer]++;
        long position = (long) (value & Producers.COUNTER_MASK) * burst + code;
        long want = expected[producer];
        if (position == want) {
            expected[producer] = (want + 1) % period;
        } else {
            long ahead = Math.floorMod(position - want, period);
            if (ahead < period / 2) {
                producerGaps += ahead;
                expected[producer] = (position + 1) % period;
            } else {
                producerReordered++;
            }
        }
    }

    private void grow(int length) {
        int old = maxSeq.length;
        maxSeq = Arrays.copyOf(maxSeq, length);
        Arrays.fill(maxSeq, old, length, -1);
        receivedPerCpu = Arrays.copyOf(receivedPerCpu, length);
    }

    /** Events decoded so far; safe from any thread. */
    long eventsSoFar() {
        return (long) EVENTS.getAcquire(this);
    }

    /** Records decoded so far; safe from any thread. */
    long recordsSoFar() {
        return (long) RECORDS.getAcquire(this);
    }
}
