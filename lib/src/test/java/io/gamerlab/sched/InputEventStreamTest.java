package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamerlab.bpf.BpfLink;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.bpf.RingBufferTrigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every ringbuf x batch build of the bench trigger on this kernel: paced events at 1 kHz, then a
 * burst, each event numbered by getpgid's argument; everything must arrive once, in per-CPU order,
 * with no BPF drop, and partial batches must arrive through the flush timer.
 *
 * <p>The producing thread is not pinned: the scheduler may move it between CPUs, so several CPUs'
 * sequences (and, for ringbuf=percpu, several rings) carry events; the per-CPU counts are printed.
 */
class InputEventStreamTest {
    /** 501 and 2000 are no multiple of 4, 8 or 16: the last batch of each phase is partial. */
    private static final int PACED = 501;
    private static final int BURST = 2000;
    private static final long PACE_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long FLUSH_NS = TimeUnit.MILLISECONDS.toNanos(1);

    @BeforeEach
    void needsRoot() throws IOException {
        String status = Files.readString(Path.of("/proc/self/status"));
        assumeTrue(status.lines().anyMatch(line -> line.matches("Uid:\\s+\\d+\\s+0\\s.*")), "loading BPF needs root");
    }

    static Stream<Arguments> variants() {
        List<Arguments> all = new ArrayList<>();
        for (String ringbuf : List.of("shared", "percpu", "sharded"))
            for (String batch : List.of("1", "4", "8", "16")) all.add(Arguments.of(ringbuf, batch));
        return all.stream();
    }

    /** The -D flags of the Axis rule: -DGAMER_<AXIS>_<VALUE>, none for the default value. */
    static List<String> flags(String ringbuf, String batch) {
        List<String> flags = new ArrayList<>();
        if (!ringbuf.equals("shared")) flags.add("-DGAMER_RINGBUF_" + ringbuf.toUpperCase());
        if (!batch.equals("1")) flags.add("-DGAMER_BATCH_" + batch);
        return flags;
    }

    @ParameterizedTest(name = "ringbuf={0} batch={1}")
    @MethodSource("variants")
    void everyEventArrivesOnceInOrderWithoutDrops(String ringbuf, String batch) {
        int b = Integer.parseInt(batch);
        BitSet values = new BitSet();
        long[] tsRange = {Long.MAX_VALUE, Long.MIN_VALUE};
        try (BpfObject object = BpfObject.open(RingBufferTrigger.build(flags(ringbuf, batch)))) {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            object.setReadOnlyU64("input_flush_ns", FLUSH_NS);
            InputEventStream.prepare(object);
            object.load();
            try (InputEventStream stream = InputEventStream.start(object, (ts, seq, cpu, device, type, code, value, received) -> {
                assertEquals(2, type, "EV_REL");
                assertTrue(!values.get(value), "value " + value + " arrived twice");
                values.set(value);
                tsRange[0] = Math.min(tsRange[0], ts);
                tsRange[1] = Math.max(tsRange[1], ts);
            })) {
                assertEquals(InputEventStream.Layout.valueOf(ringbuf.toUpperCase()), stream.layout());
                long before;
                long burstStart;
                long after;
                InputEventSnapshot paced;
                try (BpfLink link = object.attachProgram(RingBufferTrigger.PROGRAM)) {
                    before = System.nanoTime();
                    long next = before;
                    for (int i = 0; i < PACED; i++) {
                        RingBufferTrigger.fire(i);
                        next += PACE_NS;
                        LockSupport.parkNanos(next - System.nanoTime());
                    }
                    // Still attached: what is staged must leave by the flush timer alone.
                    assertTrue(stream.drain(Duration.ofSeconds(2)), "paced events did not all arrive: " + stream.snapshot().summary());
                    paced = stream.snapshot();
                    burstStart = System.nanoTime();
                    for (int i = PACED; i < PACED + BURST; i++) RingBufferTrigger.fire(i);
                    after = System.nanoTime();
                }
                assertTrue(stream.drain(Duration.ofSeconds(5)), "burst events did not all arrive: " + stream.snapshot().summary());
                InputEventSnapshot s = stream.snapshot();
                System.out.printf("ringbuf=%-7s batch=%-2s %s%n  paced: %s%n  total: %s%n", ringbuf, batch,
                        object.programInfo(), paced.summary(), s.summary());

                assertEquals(PACED, paced.events(), "paced events received");
                assertEquals(PACED + BURST, s.events(), "events received");
                assertEquals(PACED + BURST, values.cardinality(), "distinct values received");
                assertEquals(PACED + BURST, s.bpfEvents(), "events BPF put in records");
                assertEquals(0, s.bpfDrops(), "BPF drops");
                assertEquals(0, s.sequenceGaps(), "sequence gaps");
                assertEquals(0, s.reordered(), "reorderings within a CPU");
                assertEquals(0, s.malformed(), "malformed records");
                assertEquals(0, s.bpfPending(), "events left in BPF");
                assertEquals(s.bpfRecords(), s.records(), "records received vs submitted");
                assertEquals(stream.rings().size(), s.rings());
                assertTrue(tsRange[0] >= before && tsRange[1] <= after,
                        "BPF timestamps must fall between System.nanoTime() before and after: the same clock");
                assertEquals(0, s.negativeLatencies());
                if (b == 1) {
                    assertEquals(s.events(), s.records(), "batch=1: one record per event");
                    assertEquals(0, s.timerRecords());
                } else {
                    assertTrue(paced.timerRecords() > 0, "the paced phase's partial batches came through the flush timer");
                    assertEquals(s.bpfTimerFlushes(), s.timerRecords(), "timer-flushed records, BPF's count vs received");
                    assertTrue(s.records() - paced.records() < BURST, "the burst was batched: " + (s.records() - paced.records()) + " records");
                    assertTrue(s.maxNs() < TimeUnit.SECONDS.toNanos(1), "no event waited long: max " + s.maxNs() + " ns");
                    // A batch's first event starts the timer only when no flush is pending, so a
                    // burst costs about one start per flush delay, not one per batch.
                    long starts = s.bpfTimerStarts() - paced.bpfTimerStarts();
                    long bound = (after - burstStart) / FLUSH_NS + 2 + (s.bpfTimerRetries() - paced.bpfTimerRetries());
                    assertTrue(starts <= bound, "burst of " + BURST + " events started the flush timer " + starts
                            + " times; at most " + bound + " expected (one per pending flush)");
                }
            }
        }
    }

    static Stream<Arguments> nestedVariants() {
        return Stream.of(Arguments.of("shared", "1"), Arguments.of("percpu", "8"), Arguments.of("sharded", "16"));
    }

    /**
     * Producers in a hardirq (local APIC timer) and a softirq hook interrupt the getpgid producer;
     * inside its critical section they find the slot busy and queue their events. Every event must
     * arrive at most once and in per-CPU order, and each event is either received or counted as a
     * BPF drop (ring full in this tight loop, three contexts deep, or nested queue full).
     */
    @ParameterizedTest(name = "ringbuf={0} batch={1}")
    @MethodSource("nestedVariants")
    void eventsFromInterruptsThatFindTheSlotBusyArriveInOrder(String ringbuf, String batch) {
        BitSet values = new BitSet();
        long[] interruptEvents = {0};
        try (BpfObject object = BpfObject.open(RingBufferTrigger.build("ringbuf_nested", flags(ringbuf, batch)))) {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            object.load();
            try (InputEventStream stream = InputEventStream.start(object, (ts, seq, cpu, device, type, code, value, received) -> {
                if (type == 4) {
                    interruptEvents[0]++;
                } else {
                    assertTrue(!values.get(value), "value " + value + " arrived twice");
                    values.set(value);
                }
            })) {
                int sent = 0;
                try (BpfLink syscalls = object.attachProgram(RingBufferTrigger.PROGRAM);
                        BpfLink hardirq = object.attachProgram("input_trigger_hardirq");
                        BpfLink softirq = object.attachProgram("input_trigger_softirq")) {
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
                    while (System.nanoTime() < end) {
                        for (int i = 0; i < 1000; i++) RingBufferTrigger.fire(sent++);
                        if (sent % 20_000 == 0 && stream.snapshot().bpfNested() >= 20) break;
                    }
                }
                assertTrue(stream.drain(Duration.ofSeconds(5)), stream.snapshot().summary());
                InputEventSnapshot s = stream.snapshot();
                long interruptCalls = sum(object.map("irq_calls"));
                System.out.printf("nested ringbuf=%-7s batch=%-2s getpgid=%d interrupt events=%d received=%d: %s%n",
                        ringbuf, batch, sent, interruptCalls, interruptEvents[0], s.summary());
                // A tight getpgid loop can outrun the one-upcall-per-record consumer and fill a
                // ring: such drops are counted (and numbered, so they are gaps); nothing else may go.
                assertEquals(sent + interruptCalls, s.events() + s.bpfDrops(), "every event was received or counted as dropped");
                assertTrue(s.sequenceGaps() <= s.bpfDrops(), "every sequence gap is a counted drop");
                assertEquals(s.bpfDrops() == 0 ? sent : values.cardinality(), values.cardinality(), "getpgid events received");
                assertEquals(0, s.reordered(), "reorderings within a CPU");
                assertEquals(0, s.bpfPending());
                assumeTrue(s.bpfNested() > 0, "no interrupt hit a producer's critical section this time: the nested path was not exercised");
            }
        }
    }

    private static long sum(io.gamerlab.bpf.BpfMap perCpu) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment values = perCpu.lookup(0, arena);
            long sum = 0;
            for (int cpu = 0; cpu < perCpu.possibleCpus(); cpu++)
                sum += values.get(java.lang.foreign.ValueLayout.JAVA_LONG, cpu * perCpu.valueSlotSize());
            return sum;
        }
    }

    @Test
    void sampledWakeupsStillDeliverEverything() {
        try (BpfObject object = BpfObject.open(RingBufferTrigger.build(flags("percpu", "4")))) {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            object.setReadOnlyU32("input_wakeup_every", 64);
            object.load();
            try (InputEventStream stream = InputEventStream.start(object, null, 10)) {
                try (BpfLink link = object.attachProgram(RingBufferTrigger.PROGRAM)) {
                    for (int i = 0; i < 1001; i++) RingBufferTrigger.fire(i);
                }
                assertTrue(stream.drain(Duration.ofSeconds(3)), stream.snapshot().summary());
                InputEventSnapshot s = stream.snapshot();
                assertEquals(1001, s.events());
                assertEquals(0, s.sequenceGaps() + s.reordered() + s.bpfDrops());
            }
        }
    }

    /** Seed proposal 2.1: prefetch=on adds __builtin_prefetch after each reserve; whether any instruction results is printed. */
    @Test
    void thePrefetchBuildLoadsAndDelivers() {
        for (List<String> flags : List.of(List.of("-DGAMER_BATCH_4"), List.of("-DGAMER_BATCH_4", "-DGAMER_PREFETCH_ON"))) {
            try (BpfObject object = BpfObject.open(RingBufferTrigger.build(flags))) {
                object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
                object.load();
                try (InputEventStream stream = InputEventStream.start(object)) {
                    try (BpfLink link = object.attachProgram(RingBufferTrigger.PROGRAM)) {
                        for (int i = 0; i < 101; i++) RingBufferTrigger.fire(i);
                    }
                    assertTrue(stream.drain(Duration.ofSeconds(2)));
                    assertEquals(101, stream.snapshot().events());
                }
                System.out.println(flags + " " + object.programInfo());
            }
        }
    }

    @Test
    void theFlushDelayIsATunable() {
        try (BpfObject object = BpfObject.open(RingBufferTrigger.build(flags("shared", "16")))) {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            object.setReadOnlyU64("input_flush_ns", TimeUnit.MILLISECONDS.toNanos(50));
            object.load();
            try (InputEventStream stream = InputEventStream.start(object)) {
                try (BpfLink link = object.attachProgram(RingBufferTrigger.PROGRAM)) {
                    RingBufferTrigger.fire(7);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                assertEquals(0, stream.snapshot().events(), "a lone event waits for its batch until input_flush_ns");
                assertTrue(stream.drain(Duration.ofSeconds(2)));
                InputEventSnapshot s = stream.snapshot();
                assertEquals(1, s.events());
                assertEquals(1, s.timerRecords());
                assertTrue(s.maxNs() >= TimeUnit.MILLISECONDS.toNanos(45), "latency " + s.maxNs());
            }
        }
    }

    @Test
    void anObjectWithoutInputEventMapsIsRefusedByName() {
        Path counter = Path.of(System.getProperty("gamerlab.root"), "build/bpf/fixtures/syscall_counter.bpf.o");
        assumeTrue(Files.isRegularFile(counter), "make -C bpf builds the fixture");
        try (BpfObject object = BpfObject.open(counter)) {
            object.load();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputEventStream.start(object));
            assertTrue(e.getMessage().contains("input_events.bpf.h"), e.getMessage());
        }
    }
}
