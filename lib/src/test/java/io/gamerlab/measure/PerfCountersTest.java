package io.gamerlab.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Counts real work of this JVM with the kernel's perf events. */
class PerfCountersTest {
    private static final long BUSY_NS = 50_000_000;
    private static final int SLEEPS = 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile long sink;

    @BeforeEach
    void needsPerfAccess() throws IOException {
        int paranoid = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/perf_event_paranoid")).trim());
        boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[2].equals("0");
        assumeTrue(root || paranoid <= 1, "counting kernel time too needs root or kernel.perf_event_paranoid <= 1 (it is "
                + paranoid + ")");
    }

    @Test
    void softwareCountersSeeCpuTimeSleepsAndPageFaults() {
        List<PerfEvent> software = List.of(PerfEvent.TASK_CLOCK, PerfEvent.CONTEXT_SWITCHES, PerfEvent.CPU_MIGRATIONS, PerfEvent.PAGE_FAULTS);
        Map<PerfEvent, CounterReading> readings;
        try (PerfCounters counters = PerfCounters.forCallingThreadAndChildren(software)) {
            counters.start();
            spinForCpuTime(BUSY_NS);
            sleepRepeatedly();
            try (Arena arena = Arena.ofConfined()) {
                arena.allocate(16 << 20); // zero-filled fresh memory: the kernel faults its pages in
            }
            counters.stop();
            readings = byEvent(counters.read());
        }
        assertEquals(software, List.copyOf(readings.keySet()), "one reading per event, in the order given");
        readings.values().forEach(reading -> {
            assertTrue(reading.supported(), reading::toString);
            assertFalse(reading.multiplexed(), reading::toString);
            assertTrue(reading.timeEnabledNs() > 0, reading::toString);
        });
        long taskClock = readings.get(PerfEvent.TASK_CLOCK).value().orElseThrow();
        assertTrue(taskClock >= BUSY_NS, "task_clock " + taskClock + " ns after spinning " + BUSY_NS + " ns of CPU time");
        assertTrue(readings.get(PerfEvent.CONTEXT_SWITCHES).value().orElseThrow() >= SLEEPS, readings.get(PerfEvent.CONTEXT_SWITCHES)::toString);
        assertTrue(readings.get(PerfEvent.PAGE_FAULTS).value().orElseThrow() > 0, readings.get(PerfEvent.PAGE_FAULTS)::toString);
        assertTrue(readings.get(PerfEvent.CPU_MIGRATIONS).value().orElseThrow() >= 0);
    }

    @Test
    void threadsStartedAfterOpeningAreCounted() throws InterruptedException {
        try (PerfCounters counters = PerfCounters.forCallingThreadAndChildren(List.of(PerfEvent.TASK_CLOCK))) {
            counters.start();
            Thread worker = Thread.ofPlatform().start(() -> spinForCpuTime(2 * BUSY_NS));
            worker.join(); // this thread only waits: the CPU time is the worker's
            counters.stop();
            long taskClock = counters.read().getFirst().value().orElseThrow();
            assertTrue(taskClock >= 2 * BUSY_NS, "task_clock " + taskClock + " ns; the worker spun " + 2 * BUSY_NS + " ns");
        }
    }

    @Test
    void stoppedCountersStayStillAndStartResetsThem() {
        try (PerfCounters counters = PerfCounters.forCallingThreadAndChildren(List.of(PerfEvent.TASK_CLOCK))) {
            counters.start();
            spinForCpuTime(BUSY_NS);
            counters.stop();
            long stopped = counters.read().getFirst().value().orElseThrow();
            spinForCpuTime(BUSY_NS);
            assertEquals(stopped, counters.read().getFirst().value().orElseThrow(), "a stopped counter moved");

            counters.start();
            counters.stop();
            long restarted = counters.read().getFirst().value().orElseThrow();
            assertTrue(restarted < BUSY_NS, "start() did not reset: " + restarted + " ns");
        }
    }

    @Test
    void hardwareEventsAreCountedOrExplainedNeverZeroedOut() {
        List<CounterReading> readings;
        try (PerfCounters counters = PerfCounters.forCallingThreadAndChildren(EnumSet.allOf(PerfEvent.class))) {
            counters.start();
            spinForCpuTime(BUSY_NS);
            counters.stop();
            readings = counters.read();
        }
        assertEquals(PerfEvent.values().length, readings.size());
        for (CounterReading reading : readings) {
            if (reading.supported()) {
                assertTrue(reading.value().isPresent() && reading.unsupportedReason() == null, reading::toString);
                if (reading.event().hardware()) {
                    assertTrue(reading.value().getAsLong() > 0, "50 ms of spinning counted as zero: " + reading);
                }
            } else {
                assertTrue(reading.event().hardware(), "a software event is unsupported: " + reading);
                assertTrue(reading.value().isEmpty(), reading::toString);
                assertTrue(Double.isNaN(reading.scaledValue()), reading::toString);
                assertTrue(reading.unsupportedReason().matches("E[A-Z0-9]+ \\(.+\\): .+"),
                        "the reason names the errno and explains it: " + reading.unsupportedReason());
            }
        }
    }

    @Test
    void duplicatesAreCountedOnceAndClosedCountersRefuseUse() {
        PerfCounters counters = PerfCounters.forCallingThreadAndChildren(List.of(PerfEvent.PAGE_FAULTS, PerfEvent.TASK_CLOCK, PerfEvent.PAGE_FAULTS));
        assertEquals(List.of(PerfEvent.PAGE_FAULTS, PerfEvent.TASK_CLOCK),
                counters.read().stream().map(CounterReading::event).toList());
        counters.close();
        counters.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, counters::start);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private static Map<PerfEvent, CounterReading> byEvent(List<CounterReading> readings) {
        return readings.stream().collect(Collectors.toMap(CounterReading::event, Function.identity(),
                (a, b) -> { throw new AssertionError("two readings of " + a.event()); }, java.util.LinkedHashMap::new));
    }

    /** Spins until this thread has used {@code nanos} of CPU time, by the JVM's own account. */
    private static void spinForCpuTime(long nanos) {
        long until = THREADS.getCurrentThreadCpuTime() + nanos;
        long x = 0;
        while (THREADS.getCurrentThreadCpuTime() < until) {
            for (int i = 0; i < 10_000; i++) {
                x += i * x + 1;
            }
        }
        sink = x;
    }

    private static void sleepRepeatedly() {
        try {
            for (int i = 0; i < SLEEPS; i++) {
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
