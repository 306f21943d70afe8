package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedExtStateTest {

    private static boolean sysfsHasSchedExt() {
        return Files.isDirectory(Path.of("/sys/kernel/sched_ext"));
    }

    @Test
    void aKernelWithoutSchedExtIsReportedAbsentAndNotEnabled() {
        assumeFalse(sysfsHasSchedExt(), "this kernel has sched_ext");
        assertFalse(SchedExtState.kernelHasSchedExt());
        SchedExtState state = SchedExtState.read();
        assertEquals(new SchedExtState("absent", ""), state);
        assertFalse(state.enabled());
    }

    @Test
    void aKernelWithSchedExtReportsOneOfTheKernelsStates() {
        assumeTrue(sysfsHasSchedExt(), "this kernel has no sched_ext");
        assertTrue(SchedExtState.kernelHasSchedExt());
        String state = SchedExtState.read().state();
        assertTrue(Set.of("enabled", "disabled", "enabling", "disabling").contains(state), state);
    }

    @Test
    void theKernelsEventCountersAreReadByTheirShortNames() {
        var events = SchedExtState.parseEvents("SCX_EV_SELECT_CPU_FALLBACK 3\nSCX_EV_REFILL_SLICE_DFL 1234\n"
                + "SCX_EV_BYPASS_DURATION 98765432\n");
        assertEquals(java.util.List.of("select_cpu_fallback", "refill_slice_dfl", "bypass_duration"), java.util.List.copyOf(events.keySet()));
        assertEquals(1234L, events.get("refill_slice_dfl"));
        assertEquals(java.util.Map.of(), SchedExtState.parseEvents(""));
    }

    @Test
    void onlyTheEnabledStateCountsAsEnabled() {
        assertTrue(new SchedExtState("enabled", "gamer").enabled());
        assertFalse(new SchedExtState("disabled", "").enabled());
        assertFalse(new SchedExtState("enabling", "gamer").enabled());
    }
}
