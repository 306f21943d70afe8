package io.gamerlab.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/** Starts {@code true} processes one after another until stopped: fork, exec and exit under load. */
final class ForkStress {

    private long started;

    void run(BooleanSupplier stopped) throws InterruptedException {
        ProcessBuilder trueCommand = new ProcessBuilder("true").redirectErrorStream(true);
        try {
            while (!stopped.getAsBoolean()) {
                trueCommand.start().waitFor();
                started++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the fork stress could not start a process", e);
        }
    }

    /** Read after the thread that ran {@link #run} was joined. */
    long started() {
        return started;
    }
}
