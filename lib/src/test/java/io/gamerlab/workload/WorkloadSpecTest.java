package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text form: parsing, canonical text, composition, and errors that say what was wrong. */
class WorkloadSpecTest {

    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.parse(text)).getMessage();
    }

    @Test
    void everyKindsDefaultsWriteAndReadBackEqual() {
        for (WorkloadKind kind : Workloads.kinds()) {
            WorkloadSpec spec = WorkloadSpec.parse(kind.name());
            assertEquals(kind.defaults(), spec.parts().getFirst());
            assertEquals(spec, WorkloadSpec.parse(spec.text()), spec.text());
            assertTrue(spec.text().startsWith(kind.name() + ":"), spec.text());
        }
        assertEquals(List.of("gameloop", "pipeline", "wakestorm", "coldcache", "pressure", "input"), Workloads.names());
    }

    @Test
    void theCanonicalTextNamesEveryParameterInItsOwnUnit() {
        assertEquals("pipeline:period=8.3ms,stages=3,work=500us,hogs=cpus",
                WorkloadSpec.parse("pipeline:work=0.5ms, stages=3,period=8300us").text());
        assertEquals("wakestorm:groups=2,fds=4,message=4KiB", WorkloadSpec.parse("wakestorm:message=4096").text());
        assertEquals("wakestorm:groups=2,fds=4,message=100B", WorkloadSpec.parse("wakestorm:message=100").text());
        assertEquals("coldcache:period=5ms,working_set=1536KiB,window=2s,flush_every=0s,llc_multiple=4",
                WorkloadSpec.parse("coldcache:working_set=1536KiB,window=2000ms,flush_every=0s").text());
        assertEquals("gameloop:hogs=0,fork_stress=on,input_period=1ms,frame_period=16.666667ms,frame_work=4ms",
                WorkloadSpec.parse("gameloop:hogs=0,fork_stress=on").text());
    }

    @Test
    void typedValuesAreReadInTheirType() {
        Settings s = WorkloadSpec.parse("pipeline:period=16.6ms,hogs=3").parts().getFirst();
        assertEquals(Duration.ofNanos(16_600_000), s.get(FramePipelineWorkload.PERIOD));
        assertEquals(3, s.get(FramePipelineWorkload.HOGS));
        assertEquals(4, s.get(FramePipelineWorkload.STAGES), "a parameter left out takes its default");
        assertEquals(Long.valueOf(1 << 20), WorkloadSpec.parse("coldcache").parts().getFirst().get(ColdCacheWorkload.WORKING_SET));
    }

    @Test
    void kindsComposeWithAPlusAndEachRunsOnce() {
        WorkloadSpec spec = WorkloadSpec.parse("pipeline:period=8.3ms+pressure:threads=2");
        assertEquals(2, spec.parts().size());
        assertEquals("pipeline:period=8.3ms,stages=4,work=1ms,hogs=cpus+pressure:threads=2,llc_multiple=4", spec.text());
        assertEquals(spec, WorkloadSpec.parse(spec.text()));
        assertTrue(error("pressure+pressure").contains("workload pressure is given twice"));
    }

    @Test
    void aParameterIsChangedFromJavaWithTheSameChecks() {
        WorkloadSpec spec = WorkloadSpec.parse("gameloop").with(GameLoopWorkload.FORK_STRESS, true);
        assertTrue(spec.text().contains("fork_stress=on"), spec.text());
        String e = assertThrows(IllegalArgumentException.class,
                () -> WorkloadSpec.parse("pipeline").with(FramePipelineWorkload.STAGES, 20)).getMessage();
        assertTrue(e.contains("pipeline: stages=20 is out of range; allowed: 2..8"), e);
        e = assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.parse("wakestorm").with(GameLoopWorkload.HOGS, 1)).getMessage();
        assertTrue(e.contains("has no parameter hogs"), e);
    }

    @Test
    void anUnknownKindListsTheKnownOnes() {
        String e = error("pipelin:period=8ms");
        assertTrue(e.contains("unknown workload 'pipelin'") && e.contains("[gameloop, pipeline, wakestorm, coldcache, pressure, input]"), e);
        assertTrue(error(" ").contains("no workload given"));
    }

    @Test
    void anUnknownParameterListsTheKindsParameters() {
        String e = error("pipeline:perod=8ms");
        assertTrue(e.contains("workload pipeline has no parameter 'perod'; its parameters: [period, stages, work, hogs]"), e);
    }

    @Test
    void aMalformedPairOrAParameterGivenTwiceIsNamed() {
        assertTrue(error("pipeline:period").contains("pipeline: 'period' is not name=value"));
        assertTrue(error("pipeline:stages=3,stages=4").contains("pipeline: stages is given twice"));
        assertTrue(error("pipeline:period=8.3ms,").contains("is not name=value"));
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatTypeAndRangeIsAllowed() {
        String e = error("pipeline:period=fast");
        assertTrue(e.contains("pipeline: period='fast' is not a duration (a number and ns, us, ms or s, e.g. 16.6ms); allowed: 1ms..1s"), e);
        assertTrue(error("pipeline:period=16.6").contains("is not a duration"), "a bare number has no unit");
        assertTrue(error("pipeline:period=0.0000001ns").contains("is not a duration"), "not a whole number of ns");
        assertTrue(error("pipeline:stages=four").contains("pipeline: stages='four' is not a whole number; allowed: 2..8"));
        assertTrue(error("pipeline:hogs=-1").contains("pipeline: hogs='-1' is not a whole number or cpus; allowed: 0..256 or cpus"));
        assertTrue(error("gameloop:fork_stress=yes").contains("gameloop: fork_stress='yes' is not on or off; allowed: on or off"));
        assertTrue(error("wakestorm:message=1.5B").contains("wakestorm: message='1.5B' is not a size"));
    }

    @Test
    void describeListsEveryKindWithItsParametersDefaultsAndRanges() {
        String text = Workloads.describe();
        for (WorkloadKind kind : Workloads.kinds()) {
            assertTrue(text.contains(kind.name() + ": "), kind.name());
            for (Parameter<?> p : kind.parameters()) assertTrue(text.contains("  " + p.describe()), p.describe());
        }
        assertTrue(text.contains("period=16.6ms (1ms..1s): frame period"), text);
    }
}
