package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.Axis;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The whole path on a real sched_ext kernel: boot the guest, load our scheduler from Java through
 * libbpf, run the workload under it, and read the table back on the host. Each boot costs half a
 * minute under TCG, so one boot per variant serves every assertion, and two variants cover every
 * value of every axis: the baseline, and every axis at its last value.
 */
abstract class GuestEndToEndTest {

    private static final Map<Variant, RunResult> RESULTS = new ConcurrentHashMap<>();
    private RunResult result;

    abstract Variant variant();

    @BeforeEach
    void runOnceInTheGuest() throws InterruptedException {
        result = RESULTS.get(variant());
        if (result != null) return;
        var spec = RunSpec.of(variant(), Duration.ofSeconds(10), SchedulerBuild.ofCheckout().gitCommit());
        result = GuestBackend.standard().run(spec);
        RESULTS.put(variant(), result);
    }

    static final class Baseline extends GuestEndToEndTest {
        @Override
        Variant variant() {
            return Variant.BASELINE;
        }
    }

    static final class EveryAxisAtItsLastValue extends GuestEndToEndTest {
        @Override
        Variant variant() {
            Variant v = Variant.BASELINE;
            for (Axis axis : Axis.values()) v = v.with(axis, axis.choices().getLast());
            return v;
        }
    }

    @Test
    void everyRowNamesTheVariantThatRan() {
        assertTrue(result.table().stringColumn("variant").asList().stream().allMatch(variant().label()::equals));
    }

    @Test
    void theVerifierAndTheJitSizesOfEveryProgramAreRecorded() {
        Table t = result.table();
        Table bpf = t.where(t.stringColumn("source").isEqualTo("bpf"));
        for (String program : new String[] {"gamer_enqueue", "gamer_select_cpu", "gamer_stopping"})
            for (String fact : new String[] {".verified_insns", ".xlated_insns", ".jited_bytes"})
                assertTrue(value("bpf", program + fact) > 0, program + fact);
        assertTrue(bpf.rowCount() >= 30, "facts for every struct_ops program");
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

    private double value(String source, String metric) {
        Table t = result.table();
        Table row = t.where(t.stringColumn("source").isEqualTo(source).and(t.stringColumn("metric").isEqualTo(metric)));
        assertEquals(1, row.rowCount(), source + "/" + metric + " rows");
        return row.doubleColumn("value").get(0);
    }
}
