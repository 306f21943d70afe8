package io.gamerlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Coverage on generated data with a known true effect: how often the 95 % interval holds the
 * truth. Simulated experiments, each a fresh pair of samples; the counts are printed.
 */
class BootstrapTest {

    private static final int EXPERIMENTS = 300;

    private static double coverage(Bootstrap.Method method, EffectKind kind, int n, double controlMean, double variantMean,
                                   double sd, long seed) {
        Synthetic data = new Synthetic(seed);
        double truth = kind.of(controlMean, variantMean);
        int covered = 0;
        for (int i = 0; i < EXPERIMENTS; i++) {
            Bootstrap b = new Bootstrap(method, 2000, seed + i);
            Interval ci = b.interval(data.normal(n, controlMean, sd), data.normal(n, variantMean, sd), kind, 0.95);
            if (ci.low() <= truth && truth <= ci.high()) covered++;
        }
        double share = covered / (double) EXPERIMENTS;
        System.out.printf("coverage %s %s n=%d: %d of %d = %.3f%n", method, kind, n, covered, EXPERIMENTS, share);
        return share;
    }

    @Test
    void theExpandedIntervalCoversAKnownDifferenceAboutAsOftenAsItSaysAndThePlainOneLess() {
        double expanded = coverage(Bootstrap.Method.EXPANDED_PERCENTILE, EffectKind.SAVING, 5, 100, 70, 10, 1);
        double plain = coverage(Bootstrap.Method.PERCENTILE, EffectKind.SAVING, 5, 100, 70, 10, 1);
        assertTrue(expanded >= 0.92, "expanded percentile at n = 5 should cover a true saving of 30 in at least ~95 % of experiments: " + expanded);
        assertTrue(plain < expanded && plain <= 0.93, "the plain percentile interval is too narrow at n = 5: " + plain + " vs " + expanded);
    }

    @Test
    void itCoversAKnownRatioAndRelativeSavingAndFallsShortOnlyAtThreeRepetitions() {
        assertTrue(coverage(Bootstrap.Method.EXPANDED_PERCENTILE, EffectKind.RATIO, 5, 100, 200, 8, 2) >= 0.92);
        assertTrue(coverage(Bootstrap.Method.EXPANDED_PERCENTILE, EffectKind.RELATIVE_SAVING, 8, 100, 95, 4, 3) >= 0.92);
        assertTrue(coverage(Bootstrap.Method.EXPANDED_PERCENTILE, EffectKind.SAVING, 4, 100, 70, 10, 4) >= 0.91);
        // At n = 3 the expanded interval is the resamples' whole range and still falls short of 95 %:
        // no bootstrap interval reaches beyond the data. Judge says so in the verdict.
        double three = coverage(Bootstrap.Method.EXPANDED_PERCENTILE, EffectKind.SAVING, 3, 100, 70, 10, 4);
        double threePlain = coverage(Bootstrap.Method.PERCENTILE, EffectKind.SAVING, 3, 100, 70, 10, 4);
        assertTrue(three >= 0.83 && three < 0.95 && threePlain < three, "n = 3: " + three + " (plain " + threePlain + ")");
    }

    @Test
    void theSameSeedGivesTheSameIntervalAndTooFewRepetitionsAreRefused() {
        Synthetic data = new Synthetic(5);
        Sample c = data.normal(5, 100, 10), v = data.normal(5, 80, 10);
        Interval a = Bootstrap.standard().interval(c, v, EffectKind.SAVING, 0.95);
        assertEquals(a, Bootstrap.standard().interval(c, v, EffectKind.SAVING, 0.95));
        assertNotEquals(a, new Bootstrap(Bootstrap.Method.EXPANDED_PERCENTILE, 10_000, 6).interval(c, v, EffectKind.SAVING, 0.95));
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.standard().interval(Sample.of(1), v, EffectKind.SAVING, 0.95));
        assertTrue(one.getMessage().contains("at least 2 repetitions"), one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(Bootstrap.Method.PERCENTILE, 10, 1));
    }

    @Test
    void theExpansionWidensMostWhereRepetitionsAreFewest() {
        Bootstrap b = Bootstrap.standard();
        double z = new Bootstrap(Bootstrap.Method.PERCENTILE, 1000, 1).multiplier(3, 0.95);
        assertEquals(1.96, z, 0.01);
        assertTrue(b.multiplier(3, 0.95) > b.multiplier(5, 0.95) && b.multiplier(5, 0.95) > b.multiplier(50, 0.95));
        assertTrue(b.multiplier(50, 0.95) > z && b.multiplier(50, 0.95) < 2.1, "tends to z as n grows: " + b.multiplier(50, 0.95));
        assertEquals(0.025, new Bootstrap(Bootstrap.Method.PERCENTILE, 1000, 1).tail(3, 0.95), 1e-12);
        assertTrue(b.tail(3, 0.95) < 1e-6, "n = 3: the extremes of the resamples");
    }
}
