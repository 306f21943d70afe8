package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchedExtLogTest {

    @Test
    void anUnloadIsInfoAndAnEjectionIsAnErrorWithTheSchedulersMessage() {
        List<String> log = List.of(
                "<6>[   10.1] sched_ext: BPF scheduler \"gamerlab\" enabled",
                "<6>[   40.2] sched_ext: BPF scheduler \"gamerlab\" disabled (unregistered from user space)",
                "<4>[   41.0] something else",
                "<3>[   75.5] sched_ext: BPF scheduler \"gamerlab\" disabled (runnable task stall)",
                "<3>[   75.5] sched_ext: gamerlab: stress-ng-cpu[211] failed to run for 5.012s",
                "<6>[   80.0] sched_ext: BPF scheduler \"simple\" disabled (unregistered from user space)");
        assertEquals(List.of(
                new SchedExtLog.Disable("gamerlab", "unregistered from user space", false, ""),
                new SchedExtLog.Disable("gamerlab", "runnable task stall", true, "stress-ng-cpu[211] failed to run for 5.012s"),
                new SchedExtLog.Disable("simple", "unregistered from user space", false, "")),
                SchedExtLog.disables(log));
    }

    @Test
    void recordsWithoutATimestampAreReadToo() {
        assertEquals(List.of(new SchedExtLog.Disable("x", "normal", false, "")),
                SchedExtLog.disables(List.of("<14>sched_ext: BPF scheduler \"x\" disabled (normal)")));
    }
}
