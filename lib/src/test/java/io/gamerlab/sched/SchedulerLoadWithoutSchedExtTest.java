package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a kernel without sched_ext, loading must fail before touching BPF, and say where to go instead. */
class SchedulerLoadWithoutSchedExtTest {

    @BeforeEach
    void requireAKernelWithoutSchedExt() {
        assumeFalse(SchedExtState.kernelHasSchedExt(), "this kernel has sched_ext");
    }

    private static void assertPointsToTheGuest(SchedExtUnavailableException e) {
        assertTrue(e.getMessage().contains("sched_ext"), e.getMessage());
        assertTrue(e.getMessage().contains("guest backend"), e.getMessage());
        assertTrue(e.getMessage().contains(System.getProperty("os.version")), e.getMessage());
    }

    @Test
    void loadingTheBuiltSchedulerFailsNamingSchedExtAndTheGuestBackend() {
        Path object = SchedulerBuild.ofCheckout().object(Variant.BASELINE);
        assertPointsToTheGuest(assertThrows(SchedExtUnavailableException.class,
                () -> Scheduler.load(object, Tunables.defaults())));
    }

    @Test
    void theMissingKernelFeatureIsReportedBeforeAMissingObjectFile(@TempDir Path dir) {
        Path missing = dir.resolve("no-such.bpf.o");
        assertPointsToTheGuest(assertThrows(SchedExtUnavailableException.class,
                () -> Scheduler.load(missing, Tunables.defaults())));
    }

    @Test
    void requireSchedExtThrowsTheSameExplanation() {
        assertPointsToTheGuest(assertThrows(SchedExtUnavailableException.class, Scheduler::requireSchedExt));
    }
}
