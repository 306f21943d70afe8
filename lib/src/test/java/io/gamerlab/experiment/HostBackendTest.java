package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.gamerlab.sched.SchedExtState;
import io.gamerlab.sched.SchedExtUnavailableException;
import io.gamerlab.sched.Variant;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class HostBackendTest {

    @Test
    void aHostWithoutSchedExtSaysWhyAndPointsToTheGuest() {
        assumeFalse(SchedExtState.kernelHasSchedExt(), "this kernel has sched_ext");
        Optional<String> why = HostBackend.whyUnavailable();
        assertTrue(why.isPresent());
        assertTrue(why.get().contains("sched_ext"), why.get());
        assertTrue(why.get().contains("guest backend"), why.get());
    }

    @Test
    void runningOnAHostWithoutSchedExtFailsWithTheSameReason() {
        assumeFalse(SchedExtState.kernelHasSchedExt(), "this kernel has sched_ext");
        RunSpec spec = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(1), "c");
        SchedExtUnavailableException e = assertThrows(SchedExtUnavailableException.class, () -> new HostBackend().run(spec));
        assertEquals(HostBackend.whyUnavailable().orElseThrow(), e.getMessage());
    }

    /**
     * Kernel-default loads nothing, so it runs on any Linux host, sched_ext or not: the workload
     * under the kernel's own scheduler, sched_ext never enabled, no row from a scheduler.
     */
    @Test
    void kernelDefaultRunsTheWorkloadWithNoSchedulerOnAnyHost() throws InterruptedException {
        RunSpec spec = RunSpec.of(Variant.KERNEL_DEFAULT, Duration.ofSeconds(1), "c").withWorkload("pipeline:period=8.3ms,work=200us,hogs=1");
        RunResult result = new HostBackend().run(spec);
        String expected = SchedExtState.kernelHasSchedExt() ? "disabled" : "absent";
        assertEquals(expected, result.stateDuring());
        assertEquals("", result.opsDuring());
        assertEquals(expected, result.stateAfter());
        assertEquals(Run.NO_EXIT, result.exitKind());
        Table t = result.table();
        assertEquals(Set.of("kernel-default"), Set.copyOf(t.stringColumn("variant").asList()));
        assertEquals(Set.of("perf", "workload", "sched_ext"), Set.copyOf(t.stringColumn("source").asList()), "no scheduler, hook, input or tunable rows");
        assertEquals(Set.of("pipeline:period=8.3ms,stages=4,work=200us,hogs=1"), Set.copyOf(t.stringColumn("workload").asList()));
        Table presented = t.where(t.stringColumn("metric").isEqualTo("frames_presented"));
        assertTrue(presented.doubleColumn("value").get(0) > 0, presented.print());
    }

    @Test
    void theHostBackendIsNamedHost() {
        assertEquals("host", new HostBackend().name());
    }
}
