package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.Provenance;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import io.gamerlab.workload.WorkloadSpec;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RunSpecTest {

    private static final RunSpec SPEC = new RunSpec("run-42", Variant.BASELINE, Tunables.defaults(),
            WorkloadSpec.parse("gameloop:hogs=3"), Duration.ofMillis(300), Duration.ofMillis(2_500), "0123456789ab-dirty",
            java.util.List.of(), new RunSpec.Place("exp", 3, OptionalLong.of(-9), false,
                    new Provenance.Node("node-7", OptionalLong.of(41), OptionalInt.of(0))));

    private static String written(RunSpec spec) throws IOException {
        StringWriter out = new StringWriter();
        spec.write(out);
        return out.toString();
    }

    private static RunSpec readBack(RunSpec spec) throws IOException {
        return RunSpec.read(new StringReader(written(spec)));
    }

    @Test
    void aSpecWrittenAndReadBackIsEqual() throws IOException {
        assertEquals(SPEC, readBack(SPEC));
        RunSpec perCpu = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(10), "unknown");
        assertEquals(perCpu, readBack(perCpu));
    }

    @Test
    void theWorkloadTravelsAsItsCanonicalText() throws IOException {
        RunSpec pipeline = SPEC.withWorkload("pipeline:period=8.3ms+pressure");
        java.util.Properties p = new java.util.Properties();
        p.load(new StringReader(written(pipeline)));
        assertEquals("pipeline:period=8.3ms,stages=4,work=1ms,hogs=cpus+pressure:threads=1,llc_multiple=4", p.getProperty("workload"));
        assertEquals(pipeline, readBack(pipeline));
        assertEquals(pipeline.workload(), readBack(pipeline).workload());
    }

    @Test
    void kernelDefaultTravelsLikeAnyVariant() throws IOException {
        RunSpec kernel = SPEC.under(Variant.KERNEL_DEFAULT);
        assertTrue(written(kernel).contains("variant=kernel-default"), written(kernel));
        assertEquals(kernel, readBack(kernel));
        assertNotEquals(SPEC.runId(), kernel.runId(), "a run of its own");
        assertEquals(SPEC.workload(), kernel.workload());
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
        for (String key : new String[] {"run_id", "variant", "workload", "warmup", "duration", "git_commit", "experiment", "repetition",
                "seed", "measured"}) {
            String withoutKey = written(SPEC).lines().filter(l -> !l.startsWith(key + "="))
                    .reduce("", (a, b) -> a + b + "\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RunSpec.read(new StringReader(withoutKey)));
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
    }

    @Test
    void aBadWorkloadIsRejectedWhenTheSpecIsMadeOrRead() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SPEC.withWorkload("pipeline:stages=20"));
        assertTrue(e.getMessage().contains("pipeline: stages=20 is out of range; allowed: 2..8"), e.getMessage());
        String tampered = written(SPEC).replaceAll("workload=.*", "workload=wakestorm:groups=0");
        e = assertThrows(IllegalArgumentException.class, () -> RunSpec.read(new StringReader(tampered)));
        assertTrue(e.getMessage().contains("wakestorm: groups=0 is out of range"), e.getMessage());
    }

    @Test
    void aZeroOrNegativeDurationIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new RunSpec("r", Variant.BASELINE, Tunables.defaults(), SPEC.workload(), Duration.ZERO, Duration.ZERO, "c"));
        assertThrows(IllegalArgumentException.class,
                () -> new RunSpec("r", Variant.BASELINE, Tunables.defaults(), SPEC.workload(), Duration.ZERO, Duration.ofSeconds(-1), "c"));
        assertThrows(IllegalArgumentException.class,
                () -> new RunSpec("r", Variant.BASELINE, Tunables.defaults(), SPEC.workload(), Duration.ofSeconds(-1), Duration.ofSeconds(1), "c"));
    }

    @Test
    void ofGivesEachRunItsOwnIdAndTheGameLoopWithOneHogPerCpu() {
        RunSpec a = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(1), "c");
        RunSpec b = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(1), "c");
        assertNotEquals(a.runId(), b.runId());
        assertEquals("gameloop:hogs=cpus,fork_stress=off,input_period=1ms,frame_period=16.666667ms,frame_work=4ms", a.workload().text());
        assertTrue(a.workload().create().name().startsWith("gameloop-h" + Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void aWarmUpIsNoneUnlessAskedAndTravelsWithTheSpec() throws IOException {
        assertEquals(Duration.ZERO, RunSpec.of(Variant.BASELINE, Duration.ofSeconds(1), "c").warmup());
        RunSpec warm = SPEC.withWarmup(Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(2), readBack(warm).warmup());
        assertEquals(Duration.ofSeconds(2), warm.under(Variant.KERNEL_DEFAULT).warmup(), "the other variant warms up alike");
    }

    @Test
    void forkStressIsTheGameLoopsParameter() {
        assertTrue(SPEC.withForkStress(true).workload().text().contains("fork_stress=on"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SPEC.withWorkload("wakestorm").withForkStress(true));
        assertTrue(e.getMessage().contains("has no parameter fork_stress"), e.getMessage());
    }
}
