package io.gamerlab.sched;

/**
 * The scheduler stopped before the run detached it: the kernel ejected it (watchdog, BPF error,
 * sysrq-S) or it exited on its own. The run failed: what it measured after that moment was not
 * measured under the scheduler.
 */
public final class SchedulerEjectedException extends RuntimeException {
    private final transient ExitReport exit;

    public SchedulerEjectedException(String what, ExitReport exit) {
        super(what + " failed: the kernel stopped the scheduler before the run ended: " + exit.describe()
                + ". Its kernel log (dmesg) has the details");
        this.exit = exit;
    }

    public ExitReport exit() {
        return exit;
    }
}
