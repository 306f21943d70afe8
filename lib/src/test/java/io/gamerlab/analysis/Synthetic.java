package io.gamerlab.analysis;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/** Generated repetitions with a known true mean and spread, for tests whose answer is known. */
final class Synthetic {

    private final ContinuousDistribution.Sampler normal;

    /** A seeded source of standard normal draws. */
    Synthetic(long seed) {
        UniformRandomProvider rng = new SplittableRandom(seed)::nextLong;
        normal = NormalDistribution.of(0, 1).createSampler(rng);
    }

    /** n draws from a normal distribution of this mean and standard deviation. */
    Sample normal(int n, double mean, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = mean + sd * normal.sample();
        return Sample.of(v);
    }

    /** n values whose sample mean and standard deviation are exactly these (draws, standardised). */
    Sample exactly(int n, double mean, double sd) {
        Sample drawn = normal(n, 0, 1);
        double[] v = drawn.values();
        for (int i = 0; i < n; i++) v[i] = mean + sd * (v[i] - drawn.mean()) / drawn.sd();
        return Sample.of(v);
    }

    /** A claim of one measure (dataset "synthetic", metric "m", compared on column k: a vs b), clocks host. */
    static Claim claim(EffectKind kind, String unit, double min, double max) {
        Measure m = new Measure("c.m", "synthetic", "m", "a metric", null, java.util.Map.of("k", "a"), java.util.Map.of("k", "b"),
                List.of("host"), null, null, null, null, "nothing");
        return new Claim("c", 1, "a claim", "the seed", new ClaimedEffect(kind, unit, min, max), null, List.of(m));
    }

    static Evidence evidence(Sample control, Sample variant, String unit) {
        return new Evidence("run1", "host", "host", unit, control, variant, List.of(), "run1");
    }
}
