package io.gamerlab.experiment;

import io.gamerlab.sched.Tunables;
import java.time.Duration;

/**
 * New tunables for the running scheduler, {@code at} this long into a run's workload
 * ({@link io.gamerlab.sched.Scheduler#retune}); the run's table records each value that changed.
 */
public record Retune(Duration at, Tunables tunables) {

    public Retune {
        if (at.isNegative()) throw new IllegalArgumentException("a retune's time into the run must be >= 0, was " + at);
    }
}
