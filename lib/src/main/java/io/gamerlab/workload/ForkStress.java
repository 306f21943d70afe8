package io.gamerlab.workload;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Starts {@code true} processes one after another until stopped: fork, exec and exit under load. */
final class ForkStress {

    private long started;
    private IOException failure;

    void run(AtomicBoolean stop) {
        ProcessBuilder trueCommand = new ProcessBuilder("true").redirectErrorStream(true);
        try {
            while (!stop.get()) {
                trueCommand.start().waitFor();
                started++;
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Read after the thread that ran {@link #run} was joined. */
    long started() {
        return started;
    }

    IOException failure() {
        return failure;
    }
}
