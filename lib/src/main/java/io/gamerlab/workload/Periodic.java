package io.gamerlab.workload;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A periodic thread's loop at absolute deadlines: the next deadline is the previous one plus the
 * period, never "now plus the period", so a late wake-up is measured, not hidden, and a tick that
 * overran is followed at once by the next one (none is skipped). This is the correction for
 * coordinated omission that latency probes need.
 */
final class Periodic {

    interface Tick {
        void at(long deadlineNanos) throws Exception;
    }

    private Periodic() { }

    static void run(Duration period, BooleanSupplier stopped, Tick tick) throws Exception {
        long step = period.toNanos();
        long deadline = System.nanoTime() + step;
        while (!stopped.getAsBoolean()) {
            long wait = deadline - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            if (System.nanoTime() < deadline) continue;  // woke early (spurious unpark)
            tick.at(deadline);
            deadline += step;
        }
    }
}
