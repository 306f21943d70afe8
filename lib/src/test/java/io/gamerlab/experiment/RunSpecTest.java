package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.Provenance;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RunSpecTest {

    private static final RunSpec SPEC = new RunSpec("run-42", Variant.BASELINE, Tunables.defaults(), 3, false, Duration.ofMillis(500),
            Duration.ofMillis(2_500), "0123456789ab-dirty", new RunSpec.Place("exp", 3, OptionalLong.of(-9), false,
                    new Provenance.Node("node-7", OptionalLong.of(41), OptionalInt.of(0))));

    private static RunSpec spec(int hogs, Duration duration) {
        return new RunSpec("r", Variant.BASELINE, Tunables.defaults(), hogs, false, Duration.ZERO, duration, "c", RunSpec.Place.SINGLE);
    }

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
    void readingASpecWithoutAKeyNamesTheKey() throws IOException {
        for (String key : new String[] {"run_id", "variant", "hogs", "warmup", "duration", "git_commit", "experiment", "repetition", "seed", "measured"}) {
            String withoutKey = written(SPEC).lines().filter(l -> !l.startsWith(key + "="))
                    .reduce("", (a, b) -> a + b + "\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RunSpec.read(new StringReader(withoutKey)));
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
    }

    @Test
    void aZeroOrNegativeDurationIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> spec(0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> spec(0, Duration.ofSeconds(-1)));
    }

    @Test
    void hogsBelowMinusOneAreRejectedAndMinusOneMeansOnePerCpu() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec(-2, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("hogs"), e.getMessage());
        RunSpec perCpu = assertDoesNotThrow(() -> spec(-1, Duration.ofSeconds(1)));
        assertEquals("gameloop-h" + Runtime.getRuntime().availableProcessors(), perCpu.workload().name());
        assertEquals("gameloop-h3", SPEC.workload().name());
        assertEquals("gameloop-h0", spec(0, Duration.ofSeconds(1)).workload().name());
    }

    @Test
    void ofGivesEachRunItsOwnIdAndOneHogPerCpu() {
        RunSpec a = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(1), "c");
        RunSpec b = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(1), "c");
        assertNotEquals(a.runId(), b.runId());
        assertEquals(-1, a.hogs());
    }
}
