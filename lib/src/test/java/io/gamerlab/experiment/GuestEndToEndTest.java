package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The whole path on a real sched_ext kernel: boot the guest, load our scheduler from Java through
 * libbpf, run the workload under it, and read the table back on the host. One boot serves every
 * assertion, because each boot costs half a minute under TCG.
 */
class GuestEndToEndTest {

    private static RunResult result;

    @BeforeAll
    static void runOnceInTheGuest() throws InterruptedException {
        var spec = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(10), SchedulerBuild.ofCheckout().gitCommit());
        result = GuestBackend.standard().run(spec);
    }

    @Test
    void ourSchedulerWasEnabledDuringTheRun() {
        assertEquals("enabled", result.stateDuring());
        assertEquals("gamerlab", result.opsDuring());
    }

    @Test
    void theSchedulerIsDisabledAfterTheRunBecauseUserSpaceUnloadedIt() {
        assertEquals("disabled", result.stateAfter());
        assertEquals(64, result.exitKind(), "SCX_EXIT_UNREG (64), not an ejection: " + result.exitReason());
    }

    @Test
    void theSchedulersOwnCountersMoved() {
        for (String counter : new String[] {"enqueued", "dispatched", "started", "runtime_ns"})
            assertTrue(value("scheduler", counter) > 0, counter + " did not move");
        // Roles declared by the workload reach the BPF side: boosted starts happen only for them.
        assertTrue(value("scheduler", "boosted") > 0, "no role-boosted task ever started");
    }

    @Test
    void everyRowSaysItCameFromTheEmulatedGuest() {
        Table t = result.table();
        assertTrue(t.rowCount() > 0);
        assertTrue(t.stringColumn("backend").asList().stream().allMatch("guest-tcg"::equals));
        assertTrue(t.stringColumn("clock").asList().stream().allMatch("tcg-emulated"::equals));
        assertTrue(t.stringColumn("kernel").asList().stream().allMatch(k -> !k.isBlank()));
    }

    @Test
    void softwareCountersAreMeasuredAndMissingHardwareCountersAreNotZeros() {
        assertTrue(value("perf", "task_clock") > 0);
        assertTrue(value("perf", "context_switches") > 0);
        Table t = result.table();
        Table unsupported = t.where(t.stringColumn("status").isEqualTo("unsupported"));
        for (int i = 0; i < unsupported.rowCount(); i++) {
            assertTrue(unsupported.doubleColumn("value").isMissing(i), "an unsupported counter carries a value");
            assertTrue(!unsupported.stringColumn("note").get(i).isBlank(), "an unsupported counter says no reason");
        }
    }

    @Test
    void theWorkloadRanItsInputAndFrameThreads() {
        assertTrue(value("workload", "input_wakeups") > 1000);
        assertTrue(value("workload", "frames") > 100);
    }

    private static double value(String source, String metric) {
        Table t = result.table();
        Table row = t.where(t.stringColumn("source").isEqualTo(source).and(t.stringColumn("metric").isEqualTo(metric)));
        assertEquals(1, row.rowCount(), source + "/" + metric + " rows");
        return row.doubleColumn("value").get(0);
    }
}
