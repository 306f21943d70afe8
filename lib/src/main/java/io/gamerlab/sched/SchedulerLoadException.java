package io.gamerlab.sched;

import io.gamerlab.bpf.BpfException;

/** A variant of the scheduler could not be loaded: the message names the variant, and the cause says why (the verifier's log, say). */
public final class SchedulerLoadException extends RuntimeException {
    public SchedulerLoadException(Variant variant, BpfException cause) {
        super("scheduler variant " + variant.label() + " could not be loaded: " + cause.getMessage(), cause);
    }
}
