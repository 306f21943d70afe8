package io.gamerlab.workload;

import io.gamerlab.util.ThreadId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.Role;
import io.gamerlab.sched.RoleRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One real second of the game loop without hogs, with a registry that only remembers what was declared. */
@Timeout(60)
class GameLoopWorkloadRunTest {

    private static final Map<Role, Integer> declared = new ConcurrentHashMap<>();
    private static final Map<Role, Integer> declarations = new ConcurrentHashMap<>();
    private static WorkloadReport report;

    @BeforeAll
    static void runForOneSecond() throws InterruptedException {
        RoleRegistry recording = new RoleRegistry() {
            @Override
            public void declare(int tid, Role role) {
                declared.put(role, tid);
                declarations.merge(role, 1, Integer::sum);
            }

            @Override
            public void declareStage(int tid, int stage) { }
        };
        report = new GameLoopWorkload(GameLoopWorkload.KIND.defaults().with(GameLoopWorkload.HOGS, 0), null)
                .run(Duration.ofSeconds(1), recording);
    }

    @Test
    void theInputAndFrameThreadsAndTheProbesDeclareTheirRoles() {
        // The input thread and probe-input are input handlers; with a timer for input (no device
        // to detect the game from) the frame thread declares GAME; probe-other declares NONE so
        // that it stays unboosted inside the game's process.
        assertEquals(Map.of(Role.INPUT, 2, Role.GAME, 1, Role.NONE, 1), declarations);
    }

    @Test
    void declaredTidsAreDistinctKernelThreadIdsOtherThanTheCaller() {
        int input = declared.get(Role.INPUT);
        int game = declared.get(Role.GAME);
        assertTrue(input > 0 && game > 0, declared.toString());
        assertNotEquals(input, game);
        assertNotEquals(ThreadId.current(), input);
        assertNotEquals(ThreadId.current(), game);
        assertTrue(ThreadId.current() > 0);
    }

    @Test
    void theReportHasEveryMetricInItsUnit() {
        Map<String, String> units = report.metrics().stream()
                .collect(Collectors.toMap(WorkloadReport.Metric::name, WorkloadReport.Metric::unit));
        Map<String, String> expected = new java.util.HashMap<>(Map.of("input_wakeups", "count", "frames", "count",
                "frame_deadline_misses", "count"));
        for (String latency : List.of("input_lateness", "probe_input_lateness", "probe_other_lateness"))
            for (String p : List.of("_p50", "_p99", "_p999", "_max")) expected.put(latency + p, "us");
        for (String p : List.of("_p50", "_p99", "_p999", "_max")) expected.put("frame_time" + p, "ms");
        assertEquals(expected, units);
        assertEquals(19, report.metrics().size());
        assertEquals(List.of("input_lateness", "frame_time", "probe_input_lateness", "probe_other_lateness"),
                report.distributions().stream().map(WorkloadReport.Distribution::name).toList());
        assertEquals(report.value("frames"), report.histogram("frame_time").getTotalCount());
    }

    @Test
    void inputWasPolledAndFramesWereDrawn() {
        assertTrue(report.value("input_wakeups") > 0, report.toString());
        assertTrue(report.value("frames") > 0, report.toString());
    }

    @Test
    void absoluteDeadlinesNeverTickAheadOfTime() {
        // 1 kHz input and 60 Hz frames for about a second: generous upper bounds, no lower ones.
        assertTrue(report.value("input_wakeups") <= 1_500, report.toString());
        assertTrue(report.value("frames") <= 90, report.toString());
        assertTrue(report.value("frame_deadline_misses") <= report.value("frames"), report.toString());
    }

    @Test
    void quantilesAreOrderedAndNonNegative() {
        double p50 = report.value("input_lateness_p50");
        double p99 = report.value("input_lateness_p99");
        double max = report.value("input_lateness_max");
        assertTrue(0 <= p50 && p50 <= p99 && p99 <= max, List.of(p50, p99, max).toString());
        assertTrue(0 < report.value("frame_time_p50"), report.toString());
        assertTrue(report.value("frame_time_p50") <= report.value("frame_time_p99"), report.toString());
    }
}
