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
import org.junit.jupiter.api.Test;

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

    @Test
    void theHostBackendIsNamedHost() {
        assertEquals("host", new HostBackend().name());
    }
}
