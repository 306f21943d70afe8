package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Tunables changed while the scheduler runs: loaded with the default input windows, it gets zero
 * windows at the workload's start, while the host drives the guest's virtio mouse and keyboard.
 * The change reaches the BPF programs (no CPU is kicked for an input handler, as with zero windows
 * set at load) and the run's table records it.
 */
class GuestRetuneTest {

    private static final List<String> WINDOWS = List.of("mouse_boost_ns", "keyboard_boost_ns", "input_window_ns");
    private static RunResult result;

    @BeforeAll
    static void retuneTheWindowsToZeroAtTheStart() throws InterruptedException {
        RunSpec spec = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(8), SchedulerBuild.ofCheckout().gitCommit())
                .withRetunes(List.of(new Retune(Duration.ZERO, Tunables.defaults().withInputBoost(Duration.ZERO, Duration.ZERO, Duration.ZERO))));
        result = GuestBackend.standard().run(spec);
    }

    @Test
    void eachChangedTunableIsRecordedWithItsNewValueAndWhen() {
        Table t = result.table();
        Table changed = t.where(t.stringColumn("source").isEqualTo("tunable").and(t.stringColumn("status").isEqualTo("changed")));
        assertEquals(WINDOWS, changed.stringColumn("metric").asList());
        for (int i = 0; i < changed.rowCount(); i++) {
            assertEquals(0, changed.doubleColumn("value").get(i));
            assertEquals("ns", changed.stringColumn("unit").get(i));
            assertTrue(changed.stringColumn("note").get(i).matches("at \\d+\\.\\d{3} s after load: \\d+ -> 0 ns"), changed.stringColumn("note").get(i));
        }
    }

    @Test
    void zeroWindowsSetWhileRunningMeanNoCpuIsKickedForInput() {
        assertTrue(value("scheduler", "mouse_events") > 500, "mouse events counted");
        assertEquals(0, value("scheduler", "input_preempts"));
    }

    private static double value(String source, String metric) {
        return TableRows.value(result.table(), source, metric);
    }
}
