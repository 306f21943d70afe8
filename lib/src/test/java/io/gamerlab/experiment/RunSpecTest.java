package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunSpecTest {

    private static final RunSpec SPEC = new RunSpec("run-42", Variant.BASELINE, Tunables.defaults(), 3, false, Duration.ofMillis(2_500), "0123456789ab-dirty");

    private static String written(RunSpec spec) throws IOException {
        StringWriter out = new StringWriter();
        spec.write(out);
        return out.toString();
    }

    @Test
    void aSpecWrittenAndReadBackIsEqual() throws IOException {
        assertEquals(SPEC, RunSpec.read(new StringReader(written(SPEC))));
        RunSpec perCpu = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(10), "unknown");
        assertEquals(perCpu, RunSpec.read(new StringReader(written(perCpu))));
    }

    @Test
    void retunesRoundTripAndMayChangeOnlyRunTimeTunablesInTimeOrder() throws IOException {
        Tunables faster = Tunables.defaults().withSlice(Duration.ofMillis(1));
        RunSpec retuned = SPEC.withRetunes(java.util.List.of(new Retune(Duration.ofMillis(500), faster),
                new Retune(Duration.ofSeconds(1), faster.withInputBoost(Duration.ZERO, Duration.ZERO, Duration.ZERO))));
        assertEquals(retuned, RunSpec.read(new StringReader(written(retuned))));
        IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class, () -> SPEC.withRetunes(
                java.util.List.of(new Retune(Duration.ofSeconds(1), Tunables.defaults().withAvoidSmt(false)))));
        assertTrue(fixed.getMessage().contains("[avoid_smt]") && fixed.getMessage().contains("fixed at load"), fixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SPEC.withRetunes(java.util.List.of(
                new Retune(Duration.ofSeconds(2), faster), new Retune(Duration.ofSeconds(1), faster))), "out of order");
        assertThrows(IllegalArgumentException.class, () -> SPEC.withRetunes(java.util.List.of(new Retune(Duration.ofSeconds(3), faster))),
                "after the run's 2.5 s");
    }

    @Test
    void readingASpecWithoutAKeyNamesTheKey() throws IOException {
        for (String key : new String[] {"run_id", "variant", "hogs", "duration", "git_commit"}) {
            String withoutKey = written(SPEC).lines().filter(l -> !l.startsWith(key + "="))
                    .reduce("", (a, b) -> a + b + "\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RunSpec.read(new StringReader(withoutKey)));
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
    }

    @Test
    void aZeroOrNegativeDurationIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RunSpec("r", Variant.BASELINE, Tunables.defaults(), 0, false, Duration.ZERO, "c"));
        assertThrows(IllegalArgumentException.class, () -> new RunSpec("r", Variant.BASELINE, Tunables.defaults(), 0, false, Duration.ofSeconds(-1), "c"));
    }

    @Test
    void hogsBelowMinusOneAreRejectedAndMinusOneMeansOnePerCpu() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RunSpec("r", Variant.BASELINE, Tunables.defaults(), -2, false, Duration.ofSeconds(1), "c"));
        assertTrue(e.getMessage().contains("hogs"), e.getMessage());
        RunSpec perCpu = assertDoesNotThrow(() -> new RunSpec("r", Variant.BASELINE, Tunables.defaults(), -1, false, Duration.ofSeconds(1), "c"));
        assertEquals("gameloop-h" + Runtime.getRuntime().availableProcessors(), perCpu.workload().name());
        assertEquals("gameloop-h3", SPEC.workload().name());
        assertEquals("gameloop-h0", new RunSpec("r", Variant.BASELINE, Tunables.defaults(), 0, false, Duration.ofSeconds(1), "c").workload().name());
    }

    @Test
    void ofGivesEachRunItsOwnIdAndOneHogPerCpu() {
        RunSpec a = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(1), "c");
        RunSpec b = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(1), "c");
        assertNotEquals(a.runId(), b.runId());
        assertEquals(-1, a.hogs());
    }
}
