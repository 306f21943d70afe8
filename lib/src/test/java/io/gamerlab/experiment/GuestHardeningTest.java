package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The slice the scheduler promises, behind a CPU hog on every CPU: one 20 s run in the guest with
 * the game loop's frame thread declared a game thread (boosted) and a 10 ms slice, half the
 * kernel's default slice (SCX_SLICE_DFL, 20 ms), which is what a task gets when the kernel keeps
 * it running without the scheduler setting its slice.
 */
class GuestHardeningTest {

    private static final Duration SLICE = Duration.ofMillis(10);
    private static RunResult result;

    @BeforeAll
    static void runBesideAHogOnEveryCpu() throws InterruptedException {
        RunSpec spec = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(20), SchedulerBuild.ofCheckout().gitCommit())
                .withTunables(Tunables.defaults().withSlice(SLICE));
        result = GuestBackend.standard().withoutInput().run(spec);
    }

    /**
     * A boosted thread that wakes while every CPU runs a hog takes a CPU from one (a kick), so it
     * never waits for a hog's slice to end: its wake-ups run within one configured slice. Left
     * waiting for the slice to end, as without the kicks, a thread waking at a random moment of a
     * hog's slice would wait longer than half of it half the time. The emulated machine itself
     * stalls now and then when its host is busy, and a stall delays the threads of every role at
     * once (the longest waits, printed, then match across roles): up to 1% of the wake-ups may
     * have met one, or, on a host so busy that stalls are common, an eighth of the share of
     * unclassified threads' wake-ups that waited a slice in the same run (2.1% against 22.6% seen
     * with stress-ng on the host's CPUs; 0% against 20% on a quieter one).
     */
    @Test
    void aBoostedThreadWaitsLessThanTheConfiguredSliceBehindHogs() {
        double slice = Double.parseDouble(setting("slice_ns"));
        double waits = value("scheduler", "game_waits");
        double over = value("scheduler", "game_waits_over_slice");
        System.out.printf("wake-ups that waited a slice (%.0f ms) or more: game %.0f of %.0f, input %.0f of %.0f, unclassified %.0f of %.0f;"
                        + " longest waits: game %.1f ms, input %.1f ms, unclassified %.1f ms; boosted kicks %.0f%n", slice / 1e6,
                over, waits, value("scheduler", "input_waits_over_slice"), value("scheduler", "input_waits"),
                value("scheduler", "other_waits_over_slice"), value("scheduler", "other_waits"), value("scheduler", "max_game_wait_ns") / 1e6,
                value("scheduler", "max_input_wait_ns") / 1e6, value("scheduler", "max_other_wait_ns") / 1e6, value("scheduler", "boost_preempts"));
        assertEquals(SLICE.toNanos(), slice, "the run's table records the configured slice");
        assertTrue(waits > 100, "the 60 Hz frame thread woke as a game thread");
        double unboostedShare = value("scheduler", "other_waits_over_slice") / value("scheduler", "other_waits");
        assertTrue(over <= Math.max(0.01, unboostedShare / 8) * waits, over + " of " + waits
                + " game-thread wake-ups waited a slice or more, against a share of " + unboostedShare + " for unclassified threads");
        assertTrue(value("scheduler", "boost_preempts") > 0, "no CPU was ever taken from a hog for a boosted thread");
    }

    /**
     * The kernel refills a task's slice with its own default only where the scheduler gave none:
     * a task it keeps running when nothing else is queued (unless the scheduler refills it), and
     * tasks it places itself (exiting, migration-disabled, bypass while loading). The kernel
     * counts both; only the latter may remain.
     */
    @Test
    void theKernelNeverFellBackToItsDefaultSliceForATaskTheSchedulerRan() {
        double refills = value("sched_ext_event", "refill_slice_dfl");
        double placedByKernel = value("sched_ext_event", "enq_skip_exiting") + value("sched_ext_event", "enq_skip_migration_disabled")
                + value("sched_ext_event", "bypass_dispatch");
        System.out.printf("default-slice refills %.0f, tasks the kernel placed itself %.0f, kept running %.0f%n", refills, placedByKernel,
                value("sched_ext_event", "dispatch_keep_last"));
        assertTrue(refills <= placedByKernel, refills + " default-slice refills, but the kernel placed only " + placedByKernel + " tasks itself");
    }

    @Test
    void outsideAnInputWindowNoCpuIsTakenForAnInputHandler() {
        assertEquals(0, value("scheduler", "input_events"), "no input device in this guest");
        assertEquals(0, value("scheduler", "input_preempts"));
    }

    private static String setting(String tunable) {
        return TableRows.note(result.table(), "tunable", tunable);
    }

    private static double value(String source, String metric) {
        return TableRows.value(result.table(), source, metric);
    }
}
