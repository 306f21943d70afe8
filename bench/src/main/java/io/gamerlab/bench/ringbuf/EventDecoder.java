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
 * but that never arrived; a reversal is a reordering), and the per-producer counter the
 * producer put in getpgid's argument (see {@link Producers#value}).
 *
 * <p>Runs on the one consumer thread, allocation-free. The counts of events and records are also
 * published with release stores, so another thread can read them mid-run ({@link #eventsSoFar()}).
 */
final class EventDecoder {
    static final int EVENT_BYTES = 32;
    static final int BATCH_HEADER_BYTES = 8;
    static final int FLUSH_TIMER_FLAG = 1;
    private static final long HALF_COUNTER = 1L << (Producers.COUNTER_BITS - 1);
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

    private final int producers;
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
    /** The counter value each producer's next event should carry. */
    private final int[] expected;
    /** Events skipped in a producer's counter sequence (losses between received events). */
    long producerGaps;
    long producerReordered;
    @SuppressWarnings("unused") private long publishedEvents;
    @SuppressWarnings("unused") private long publishedRecords;

    EventDecoder(int cpus, int producers) {
        this.producers = producers;
        this.maxSeq = new long[cpus];
        Arrays.fill(maxSeq, -1);
        this.receivedPerCpu = new long[cpus];
        this.receivedPerProducer = new long[producers];
        this.expected = new int[producers];
    }

    /** One ring record: {@code length} bytes at {@code offset} of {@code data}. */
    void record(MemorySegment data, long offset, int length) {
        records++;
        if (length == EVENT_BYTES) {
            event(data, offset);
        } else {
            int count = Short.toUnsignedInt(data.get(JAVA_SHORT, offset));
            int flags = Short.toUnsignedInt(data.get(JAVA_SHORT, offset + 2));
            long capacity = (length - BATCH_HEADER_BYTES) / EVENT_BYTES;
            if (length < BATCH_HEADER_BYTES + EVENT_BYTES || (length - BATCH_HEADER_BYTES) % EVENT_BYTES != 0 || count < 1 || count > capacity) {
                malformed++;
            } else {
                if ((flags & FLUSH_TIMER_FLAG) != 0) timerRecords++;
                for (int i = 0; i < count; i++) event(data, offset + BATCH_HEADER_BYTES + (long) i * EVENT_BYTES);
            }
        }
        RECORDS.setRelease(this, records);
        EVENTS.setRelease(this, events);
    }

    /** struct gamer_input_event { u64 ts_ns; u64 seq; u32 cpu; u32 device; u16 type; u16 code; s32 value; } */
    private void event(MemorySegment data, long at) {
        long seq = data.get(JAVA_LONG, at + 8);
        int cpu = data.get(JAVA_INT, at + 16);
        int value = data.get(JAVA_INT, at + 28);
        events++;
        if (cpu >= 0) {
            if (cpu >= maxSeq.length) grow(cpu + 1);
            if (seq > maxSeq[cpu]) maxSeq[cpu] = seq;
            else reordered++;
            receivedPerCpu[cpu]++;
        }
        int producer = (value >>> Producers.COUNTER_BITS) - 1;
        if (producer < 0 || producer >= producers) {
            foreign++;
            return;
        }
        receivedPerProducer[producer]++;
        int counter = value & Producers.COUNTER_MASK;
        int want = expected[producer];
        if (counter == want) {
            expected[producer] = (want + 1) & Producers.COUNTER_MASK;
        } else {
            long ahead = (counter - want) & Producers.COUNTER_MASK;
            if (ahead < HALF_COUNTER) {
                producerGaps += ahead;
                expected[producer] = (counter + 1) & Producers.COUNTER_MASK;
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
