package io.gamerlab.experiment;

/** A guest run that did not produce a result; the message quotes the serial console's last lines. */
public final class GuestFailedException extends RuntimeException {
    public GuestFailedException(String message) {
        super(message);
    }
}
