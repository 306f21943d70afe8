package io.gamerlab.sched;

import java.time.Duration;

/**
 * The scheduler's runtime options, written into its read-only data before load (so the verifier
 * sees them as constants). Names match the {@code const volatile} globals in bpf/gamer.bpf.c.
 */
public record Tunables(Duration slice, Duration vtimeLag) {

    public static Tunables defaults() {
        return new Tunables(Duration.ofMillis(2), Duration.ofMillis(20));
    }

    public Tunables {
        if (slice.isNegative() || slice.isZero()) throw new IllegalArgumentException("slice must be > 0, was " + slice);
        if (vtimeLag.isNegative()) throw new IllegalArgumentException("vtime lag must be >= 0, was " + vtimeLag);
    }
}
