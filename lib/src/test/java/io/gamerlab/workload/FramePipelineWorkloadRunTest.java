package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One real second of a four-stage pipeline at 120 Hz beside one hog, without a scheduler. */
@Timeout(60)
class FramePipelineWorkloadRunTest {

    private static final Duration RUN = Duration.ofSeconds(1);
    private static final RecordingRoles roles = new RecordingRoles();
    private static WorkloadReport report;
    private static Workload workload;
    /** How long the run took, start to stop: on a busy machine the stop comes late, and frames go on until it does. */
    private static long elapsedNanos;

    @BeforeAll
    static void runForOneSecond() throws InterruptedException {
        workload = WorkloadSpec.parse("pipeline:period=8.3ms,work=200us,hogs=1").create();
        long start = System.nanoTime();
        report = workload.run(RUN, roles);
        elapsedNanos = System.nanoTime() - start;
    }

    @Test
    void everyStageDeclaresItsNumberAndTheGamesRoleAndTheHogsDeclareNone() {
        assertEquals(Map.of("pipeline-input", 1, "pipeline-logic", 2, "pipeline-render", 3, "pipeline-present", 4), roles.stages);
        assertEquals(Map.of("pipeline-input", Role.GAME, "pipeline-logic", Role.GAME, "pipeline-render", Role.GAME,
                "pipeline-present", Role.GAME, "hog-0", Role.NONE), roles.roles);
        assertEquals(List.of("input", "logic", "stage3", "render", "present"), FramePipelineWorkload.stageNames(5));
        assertEquals(List.of("input", "present"), FramePipelineWorkload.stageNames(2));
    }

    @Test
    void itsNameIsItsCanonicalText() {
        assertEquals("pipeline:period=8.3ms,stages=4,work=200us,hogs=1", workload.name());
    }

    @Test
    void framesWentThroughEveryStageAndNoneStartedAheadOfItsDeadline() {
        double started = report.value("frames_started");
        double presented = report.value("frames_presented");
        assertTrue(presented > 0, report.toString());
        // Absolute deadlines: no more frames than the run's time holds (plus the one due at its end).
        assertTrue(started <= elapsedNanos / 8_300_000.0 + 1, "started " + started + " in " + elapsedNanos / 1e6 + " ms");
        assertTrue(started - presented <= FramePipelineWorkload.FRAMES_IN_FLIGHT, started + " started, " + presented + " presented");
        assertEquals(presented - 1, report.histogram("frame_interval").getTotalCount());
        assertEquals(presented, report.histogram("input_to_present").getTotalCount());
        assertEquals(started, report.histogram("input_start_lateness").getTotalCount());
        assertEquals(1, report.value("hogs"));
    }

    @Test
    void everyHandOffIsEitherAWakeUpMeasuredOrFoundQueued() {
        for (String stage : List.of("logic", "render", "present")) {
            double handOffs = report.histogram("wake_wait_" + stage).getTotalCount() + report.value("handoffs_queued_" + stage);
            assertTrue(handOffs >= report.value("frames_presented") && handOffs <= report.value("frames_started"), stage + ": " + handOffs);
        }
    }

    @Test
    void percentilesAreOrderedAndTheLowFrameRatesFollowThem() {
        for (String latency : List.of("frame_interval", "input_to_present", "wake_wait_logic", "input_start_lateness")) {
            double p50 = report.value(latency + "_p50");
            double p99 = report.value(latency + "_p99");
            double p999 = report.value(latency + "_p999");
            double max = report.value(latency + "_max");
            assertTrue(0 <= p50 && p50 <= p99 && p99 <= p999 && p999 <= max, latency + ": " + List.of(p50, p99, p999, max));
        }
        assertEquals(1000 / report.value("frame_interval_p99"), report.value("fps_low_1pct"), 1e-9);
        assertEquals(1000 / report.value("frame_interval_p999"), report.value("fps_low_0_1pct"), 1e-9);
        assertTrue(report.value("fps_low_0_1pct") <= report.value("fps_low_1pct"));
        double misses = report.value("deadline_misses");
        assertEquals(misses / report.value("frames_presented"), report.value("deadline_miss_ratio"), 1e-12);
        // A frame misses when presented more than a period after its input was due.
        assertEquals(misses, report.histogram("input_to_present").getCountBetweenValues(8_300_001, Long.MAX_VALUE), misses * 0.01 + 1);
    }
}
