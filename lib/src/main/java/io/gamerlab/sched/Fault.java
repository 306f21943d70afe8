package io.gamerlab.sched;

import java.util.Locale;

/**
 * A defect built into the scheduler on purpose ({@code -DGAMER_FAULT_<NAME>}), never into a
 * variant: what a test harness must catch to be trusted, or a path that normal operation never
 * takes. {@link SchedulerBuild#object(Variant, Fault)} builds one.
 */
public enum Fault {
    /** Dispatch moves no task, so queued tasks never run: the kernel's watchdog must eject the scheduler. */
    STALL,
    /** Odd threads' task contexts seem absent, as if their task storage were gone: enqueue's path for them runs. */
    LOSE_TASK_CTX;

    public String macro() {
        return "GAMER_FAULT_" + name().toUpperCase(Locale.ROOT);
    }
}
