package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.time.Duration;
import java.util.UUID;
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
        RunSpec spec = new RunSpec(UUID.randomUUID().toString(), Variant.BASELINE, Tunables.defaults().withSlice(SLICE), -1, false,
                Duration.ofSeconds(20), SchedulerBuild.ofCheckout().gitCommit());
        result = GuestBackend.standard().withoutInput().run(spec);
    }

    /**
     * A boosted thread that wakes while every CPU runs a hog takes a CPU from one (a kick), so its
     * wait from wake-up to running stays below one slice: it never waits for a hog's slice to end.
     */
    @Test
    void aBoostedThreadsLongestWaitBehindHogsIsShorterThanTheConfiguredSlice() {
        double longest = value("scheduler", "max_game_wait_ns");
        double slice = Double.parseDouble(setting("slice_ns"));
        System.out.printf("longest wake-up-to-running wait: game thread %.2f ms (mean %.2f ms over %.0f wake-ups), unclassified %.2f ms;"
                        + " slice %.0f ms; boosted kicks %.0f%n", longest / 1e6, value("scheduler", "game_wait_ns") / value("scheduler", "game_waits") / 1e6,
                value("scheduler", "game_waits"), value("scheduler", "max_other_wait_ns") / 1e6, slice / 1e6, value("scheduler", "boost_preempts"));
        assertEquals(SLICE.toNanos(), slice, "the run's table records the configured slice");
        assertTrue(value("scheduler", "game_waits") > 100, "the 60 Hz frame thread woke as a game thread");
        assertTrue(longest < slice, "a game thread waited " + longest / 1e6 + " ms, the slice is " + slice / 1e6 + " ms");
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
        Table t = result.table();
        Table row = t.where(t.stringColumn("source").isEqualTo("tunable").and(t.stringColumn("metric").isEqualTo(tunable)));
        assertEquals(1, row.rowCount(), tunable);
        return row.stringColumn("note").get(0);
    }

    private static double value(String source, String metric) {
        Table t = result.table();
        Table row = t.where(t.stringColumn("source").isEqualTo(source).and(t.stringColumn("metric").isEqualTo(metric)));
        assertEquals(1, row.rowCount(), source + "/" + metric + " rows");
        return row.doubleColumn("value").get(0);
    }
}
