package io.gamerlab.analysis;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decides a claim against a measured effect. With the claim's minimum m (in its direction) and
 * the effect's 95 % interval [lo, hi]: <b>supported</b> if lo &ge; m (within the claimed range, or
 * beyond it), <b>refuted</b> if hi &lt; m (smaller than claimed, no effect, or the opposite sign),
 * <b>inconclusive</b> otherwise, with the repetitions per side that would decide it: planned from
 * the observed standard deviations as the smallest n whose interval half-width (the bootstrap's
 * normal-theory multiplier times the standard error at n per side) is below the distance between
 * the estimate and m; on the log scale, with coefficients of variation, for ratios.
 */
public final class Judge {

    /** Beyond this, "more repetitions" is not an answer: the estimate sits on the claimed bound. */
    static final int MAX_REPETITIONS = 100_000;
    /** Below this many repetitions per side the expanded interval covers less than its level (BootstrapTest measures it). */
    static final int FULL_COVERAGE_N = 4;

    private Judge() { }

    public static Verdict judge(Claim claim, Measure measure, Evidence evidence, Bootstrap bootstrap) {
        ClaimedEffect claimed = claim.effect();
        if (!claimed.unit().equals(claimed.kind().unit(evidence.unit())))
            throw new IllegalArgumentException("claim " + claim.id() + " is in " + claimed.unit() + " but measure " + measure.id()
                    + " gives a " + claimed.kind().key() + " in " + claimed.kind().unit(evidence.unit()));
        if (evidence.control().n() < 2 || evidence.variant().n() < 2)
            return new Verdict(claim, measure, Verdict.Kind.INCONCLUSIVE, "n = " + evidence.control().n() + " (control) and "
                    + evidence.variant().n() + " (variant): an interval needs at least 2 repetitions per side",
                    Optional.empty(), OptionalInt.of(2 - Math.min(evidence.control().n(), evidence.variant().n())),
                    evidence.series(), evidence.backend(), evidence.clock());
        Effect e = Effect.measure(evidence.control(), evidence.variant(), claimed.kind(), evidence.unit(), bootstrap);
        double lo = e.interval().low(), hi = e.interval().high(), min = claimed.min(), neutral = claimed.kind().neutral();
        String claimedText = Digits.range(claimed.min(), claimed.max(), claimed.unit());
        Verdict.Kind kind;
        String why;
        OptionalInt more = OptionalInt.empty();
        if (lo >= min) {
            kind = Verdict.Kind.SUPPORTED;
            why = lo > claimed.max() ? "the whole interval is beyond the claimed " + claimedText + ": larger than claimed"
                    : hi <= claimed.max() ? "the whole interval is within the claimed " + claimedText
                    : "the whole interval is at or above the claimed minimum of " + claimedText;
        } else if (hi < min) {
            kind = Verdict.Kind.REFUTED;
            why = hi < neutral ? "opposite sign: over the whole interval the variant is worse than its control"
                    : lo > neutral ? "an effect, but smaller than claimed: the whole interval is below " + claimedText
                    : "the interval excludes the claimed " + claimedText + " and includes no effect at all";
        } else {
            kind = Verdict.Kind.INCONCLUSIVE;
            more = repetitionsToDecide(e, min, bootstrap);
            int have = Math.max(e.control().n(), e.variant().n());
            why = "the interval reaches both sides of the claimed minimum " + Digits.range(min, min, claimed.unit()) + "; "
                    + (more.isPresent() ? "about " + more.getAsInt() + " more repetitions per side (n = " + (have + more.getAsInt())
                    + ") would decide it at the observed noise"
                    : "the estimate sits on the claimed minimum: no number of repetitions up to " + MAX_REPETITIONS + " decides it at the observed noise");
        }
        int fewest = Math.min(e.control().n(), e.variant().n());
        if (fewest < FULL_COVERAGE_N)
            why += "; with " + fewest + " repetitions on a side a bootstrap interval covers less than its "
                    + Math.round(100 * Effect.LEVEL) + " % (it cannot reach beyond the data)";
        if (!evidence.context().isEmpty()) why += " [" + String.join("; ", evidence.context()) + "]";
        return new Verdict(claim, measure, kind, why, Optional.of(e), more, evidence.series(), evidence.backend(), evidence.clock());
    }

    /**
     * How many more repetitions per side would make the interval of {@code e} exclude
     * {@code bound}, if the means and standard deviations stayed as observed; empty if more than
     * {@link #MAX_REPETITIONS} would.
     */
    public static OptionalInt repetitionsToDecide(Effect e, double bound, Bootstrap bootstrap) {
        EffectKind kind = e.kind();
        double distance, variance;
        if (kind.multiplicative()) {
            distance = Math.abs(kind.logRatio(e.estimate()) - kind.logRatio(bound));
            variance = square(e.control().cv()) + square(e.variant().cv());
        } else {
            distance = Math.abs(e.estimate() - bound);
            variance = square(e.control().sd()) + square(e.variant().sd());
        }
        int have = Math.max(e.control().n(), e.variant().n());
        if (!(distance > 0) || !Double.isFinite(variance)) return OptionalInt.empty();
        // The half-width falls as n grows: find the first n where it is below the distance by bisection.
        int lo = have, hi = MAX_REPETITIONS;
        if (!decides(hi, variance, distance, bootstrap)) return OptionalInt.empty();
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (decides(mid, variance, distance, bootstrap)) hi = mid;
            else lo = mid;
        }
        return OptionalInt.of(hi - have);
    }

    private static boolean decides(int n, double variance, double distance, Bootstrap bootstrap) {
        return bootstrap.multiplier(n, Effect.LEVEL) * Math.sqrt(variance / n) < distance;
    }

    private static double square(double x) {
        return x * x;
    }
}
