package io.gamerlab.sched;

/** The running kernel or process cannot load a sched_ext scheduler; the message says what is missing. */
public final class SchedExtUnavailableException extends RuntimeException {
    public SchedExtUnavailableException(String message) {
        super(message);
    }
}
