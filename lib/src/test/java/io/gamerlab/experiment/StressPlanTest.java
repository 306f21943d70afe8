package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.Fault;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StressPlanTest {

    @Test
    void aPlanWrittenAndReadBackIsEqual() throws IOException {
        StressPlan plan = new StressPlan(Duration.ofSeconds(30), List.of(
                StressPlan.Subject.ours(Variant.parse("ringbuf=percpu,batch=4"), Tunables.defaults().withMigrationLimit(0)),
                StressPlan.Subject.faulty(Variant.BASELINE, Fault.STALL),
                StressPlan.Subject.external("scx_simple", List.of("/usr/bin/scx_simple", "-v"), "simple")));
        StringWriter out = new StringWriter();
        plan.write(out);
        assertEquals(plan, StressPlan.read(new StringReader(out.toString())));
        assertEquals("ringbuf=shared,prefetch=off,batch=1,taskctx=packed,pipeline=off,fault=stall", plan.subjects().get(1).label());
    }

    @Test
    void aSubjectIsEitherOursOrACommandAndAPlanHasOne() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> new StressPlan.Subject("x", Variant.BASELINE,
                null, Tunables.defaults(), List.of("/bin/true"), "x"));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StressPlan(Duration.ofSeconds(1), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new StressPlan(Duration.ZERO,
                List.of(StressPlan.Subject.ours(Variant.BASELINE, Tunables.defaults()))));
    }

    @Test
    void bogoOperationsAreReadPerStressorFromStressNgsYaml(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                ---
                system-info:
                      cpus: 2
                metrics:
                    - stressor: cpu
                      bogo-ops: 397
                      wall-clock-time: 3.001966
                    - stressor: race-sched
                      bogo-ops: 50
                """);
        assertEquals(Map.of("cpu", 397L, "race-sched", 50L), StressCheck.bogoOps(yaml));
        assertEquals(Map.of(), StressCheck.bogoOps(dir.resolve("none.yaml")));
    }
}
