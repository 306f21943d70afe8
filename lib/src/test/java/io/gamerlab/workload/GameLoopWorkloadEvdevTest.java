package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.Role;
import io.gamerlab.sched.RoleRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The game loop with its input thread reading a stand-in device that a writer feeds at about 1 kHz. */
@Timeout(60)
class GameLoopWorkloadEvdevTest {

    private static final Settings NO_HOGS = GameLoopWorkload.KIND.defaults().with(GameLoopWorkload.HOGS, 0);

    @TempDir
    Path dir;

    private final Map<Role, Set<String>> declaredBy = new ConcurrentHashMap<>();

    private RoleRegistry recording() {
        return new RoleRegistry() {
            @Override
            public void declare(int tid, Role role) {
                declaredBy.computeIfAbsent(role, r -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
            }

            @Override
            public void declareStage(int tid, int stage) { }
        };
    }

    @Test
    void theInputReaderCountsWhatTheDeviceDeliveredInTheWindow() throws Exception {
        try (EvdevFifo fifo = new EvdevFifo(dir)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong written = new AtomicLong();
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    int dx = 1;
                    while (!stop.get()) {
                        fifo.write(EvdevFifo.motion(dx));
                        written.incrementAndGet();
                        dx = -dx;
                        Thread.sleep(1);
                    }
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            GameLoopWorkload workload = new GameLoopWorkload(NO_HOGS, fifo.path);
            WorkloadReport report = workload.run(Duration.ofSeconds(1), recording());
            stop.set(true);
            writer.join();

            assertEquals("gameloop-h0-evdev", workload.name());
            assertEquals(Set.of("probe-input"), declaredBy.get(Role.INPUT), "the reader is left to the scheduler's hook");
            double read = report.value("input_events_read");
            assertTrue(read > 200, report.toString());
            assertTrue(read <= written.get(), read + " read of " + written.get() + " written");
            assertEquals(read, report.value("input_reports_read"), "one motion event per report");
            assertEquals(0, report.value("input_reports_dropped"));
            assertEquals(7, report.value("input_device_event_number"), "the stand-in is called event7");
            assertTrue(report.value("input_wakeups") > 0 && report.value("input_wakeups") <= read, report.toString());
            assertTrue(report.value("input_lateness_p50") >= 0, report.toString());
            Map<String, String> units = report.metrics().stream()
                    .collect(Collectors.toMap(WorkloadReport.Metric::name, WorkloadReport.Metric::unit));
            assertEquals(23, units.size(), units.toString());
            assertEquals("count", units.get("input_events_read"));
        }
    }

    /**
     * Awaiting the host's end marker, the reader reads past its window until the marker: every
     * report written before it is read, however late; the marker is counted apart.
     */
    @Test
    void awaitingTheEndMarkerTheReaderReadsEverythingSentBeforeIt() throws Exception {
        try (EvdevFifo fifo = new EvdevFifo(dir)) {
            AtomicLong written = new AtomicLong();
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();  // past the 300 ms window
                    for (int dx = 1; System.nanoTime() < until; dx = -dx) {
                        fifo.write(EvdevFifo.motion(dx));
                        written.incrementAndGet();
                        Thread.sleep(1);
                    }
                    fifo.write(EvdevFifo.mouseEndMarker(1));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            WorkloadReport report = new GameLoopWorkload(NO_HOGS, fifo.path, true).run(Duration.ofMillis(300), recording());
            writer.join();
            assertEquals(1, report.value("input_end_marker_seen"), report.toString());
            assertEquals(1, report.value("input_end_markers_read"));
            assertEquals(written.get(), report.value("input_events_read"), "every motion written before the marker was read");
            assertEquals(written.get(), report.value("input_reports_read"));
        }
    }

    /** A marker that never comes holds the reader up for {@link InputEndMarker#wait} past its window, no longer, and says so. */
    @Test
    void withoutTheEndMarkerTheReaderStopsAfterItsWaitAndSaysItSawNone() throws Exception {
        try (EvdevFifo fifo = new EvdevFifo(dir)) {
            fifo.write(EvdevFifo.motion(1));
            Duration window = Duration.ofMillis(300);
            long start = System.nanoTime();
            WorkloadReport report = new GameLoopWorkload(NO_HOGS, fifo.path, true).run(window, recording());
            long took = System.nanoTime() - start;
            assertTrue(took >= window.plus(InputEndMarker.wait(window)).toNanos(), "waited for the marker: " + took + " ns");
            assertTrue(took < Duration.ofSeconds(20).toNanos(), took + " ns");
            assertEquals(0, report.value("input_end_marker_seen"));
            assertEquals(1, report.value("input_events_read"));
        }
    }

    @Test
    void aDeviceThatNeverDeliversDoesNotHoldTheWorkloadUp() throws Exception {
        try (EvdevFifo fifo = new EvdevFifo(dir)) {
            long start = System.nanoTime();
            WorkloadReport report = new GameLoopWorkload(NO_HOGS, fifo.path)
                    .run(Duration.ofMillis(500), recording());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
            assertEquals(0, report.value("input_events_read"));
            assertEquals(0, report.value("input_wakeups"));
            assertTrue(report.value("frames") > 0, report.toString());
        }
    }

    @Test
    void withoutADeviceTheInputThreadKeepsItsTimerAndTheTimerMetrics() throws Exception {
        WorkloadReport report = new GameLoopWorkload(NO_HOGS, null)
                .run(Duration.ofMillis(300), recording());
        assertEquals(Set.of("input", "probe-input"), declaredBy.get(Role.INPUT));
        assertEquals(19, report.metrics().size(), report.toString());
        assertTrue(report.value("input_wakeups") > 100, report.toString());
    }
}
