package io.gamerlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Each verdict kind, on generated repetitions whose true effect is known. */
class JudgeTest {

    private static final Claim SAVING_20_50 = Synthetic.claim(EffectKind.SAVING, "ns", 20, 50);

    private static Verdict judge(Claim claim, Sample control, Sample variant) {
        return Judge.judge(claim, claim.measures().getFirst(), Synthetic.evidence(control, variant, "ns"), Bootstrap.standard());
    }

    @Test
    void aTrueSavingInsideTheClaimedRangeIsSupportedAndOneBeyondItTooSaidSo() {
        Synthetic data = new Synthetic(11);
        Verdict within = judge(SAVING_20_50, data.normal(10, 400, 2), data.normal(10, 365, 2));
        assertEquals(Verdict.Kind.SUPPORTED, within.kind(), within.why());
        assertTrue(within.why().contains("within the claimed 20-50 ns"), within.why());
        assertEquals(35, within.effect().orElseThrow().estimate(), 3);
        assertEquals(10, within.effect().orElseThrow().control().n());
        Verdict beyond = judge(SAVING_20_50, data.normal(10, 400, 2), data.normal(10, 320, 2));
        assertEquals(Verdict.Kind.SUPPORTED, beyond.kind());
        assertTrue(beyond.why().contains("larger than claimed"), beyond.why());
    }

    @Test
    void aSmallerEffectNoEffectAndTheOppositeSignAreEachRefutedAndSaidApart() {
        Synthetic data = new Synthetic(12);
        Verdict smaller = judge(SAVING_20_50, data.normal(10, 400, 1), data.normal(10, 390, 1));
        assertEquals(Verdict.Kind.REFUTED, smaller.kind());
        assertTrue(smaller.why().contains("smaller than claimed"), smaller.why());
        Verdict none = judge(SAVING_20_50, data.normal(10, 400, 2), data.normal(10, 400, 2));
        assertEquals(Verdict.Kind.REFUTED, none.kind());
        assertTrue(none.why().contains("includes no effect"), none.why());
        Verdict opposite = judge(SAVING_20_50, data.normal(10, 400, 2), data.normal(10, 415, 2));
        assertEquals(Verdict.Kind.REFUTED, opposite.kind());
        assertTrue(opposite.why().contains("opposite sign"), opposite.why());
    }

    @Test
    void aNoisyComparisonIsInconclusiveAndSaysHowManyMoreRepetitionsWouldDecideIt() {
        Synthetic data = new Synthetic(13);
        Verdict v = judge(SAVING_20_50, data.exactly(3, 400, 15), data.exactly(3, 370, 15));
        assertEquals(Verdict.Kind.INCONCLUSIVE, v.kind(), v.why());
        int more = v.moreRepetitions().orElseThrow();
        assertTrue(more > 0 && v.why().contains("about " + more + " more repetitions per side (n = " + (3 + more) + ")"), v.why());
        Verdict one = judge(SAVING_20_50, Sample.of(400), data.normal(3, 370, 1));
        assertEquals(Verdict.Kind.INCONCLUSIVE, one.kind());
        assertTrue(one.effect().isEmpty() && one.why().contains("at least 2 repetitions per side"), one.why());
    }

    /**
     * The planned repetitions are where the interval's half-width meets the distance from the
     * estimate to the claimed minimum: simulated at that n with the true effect equal to the
     * planning estimate, about half the experiments decide (the estimate falls either side of the
     * truth); at four times that n (half the width), nearly all do.
     */
    @Test
    void thePlannedRepetitionsDecideAboutHalfTheTimeAtTheTruthAndNearlyAlwaysAtFourTimesAsMany() {
        Synthetic data = new Synthetic(14);
        double control = 400, variant = 370, sd = 15;  // a true saving of 30 against a claimed minimum of 20
        Effect planning = Effect.measure(data.exactly(3, control, sd), data.exactly(3, variant, sd), EffectKind.SAVING, "ns",
                Bootstrap.standard());
        OptionalInt more = Judge.repetitionsToDecide(planning, 20, Bootstrap.standard());
        int n = 3 + more.orElseThrow();
        double atN = decidedShare(data, n, control, variant, sd), atFourN = decidedShare(data, 4 * n, control, variant, sd);
        System.out.printf("planned n = %d per side: decided in %.2f of experiments; at n = %d: %.2f%n", n, atN, 4 * n, atFourN);
        assertTrue(atN >= 0.3 && atN <= 0.8, "about half at the planned n: " + atN);
        assertTrue(atFourN >= 0.85, "nearly all at four times the planned n: " + atFourN);
    }

    private static double decidedShare(Synthetic data, int n, double control, double variant, double sd) {
        int decided = 0, experiments = 120;
        Bootstrap b = new Bootstrap(Bootstrap.Method.EXPANDED_PERCENTILE, 2000, 7);
        for (int i = 0; i < experiments; i++) {
            Verdict v = Judge.judge(SAVING_20_50, SAVING_20_50.measures().getFirst(),
                    Synthetic.evidence(data.normal(n, control, sd), data.normal(n, variant, sd), "ns"), b);
            if (v.kind() != Verdict.Kind.INCONCLUSIVE) decided++;
        }
        return decided / (double) experiments;
    }

    @Test
    void ratiosAreJudgedOnTheirOwnScaleAndAnEstimateOnTheBoundIsNeverDecided() {
        Synthetic data = new Synthetic(15);
        Claim doubling = Synthetic.claim(EffectKind.RATIO, "x", 1.8, 2);
        Verdict scaled = judge(doubling, data.normal(5, 100, 2), data.normal(5, 196, 3));
        assertEquals(Verdict.Kind.SUPPORTED, scaled.kind(), scaled.why());
        assertEquals("x", scaled.effect().orElseThrow().unit());
        Verdict flat = judge(doubling, data.normal(5, 100, 2), data.normal(5, 120, 3));
        assertEquals(Verdict.Kind.REFUTED, flat.kind(), flat.why());
        Effect onTheBound = Effect.measure(data.exactly(4, 100, 5), data.exactly(4, 80, 5), EffectKind.SAVING, "ns", Bootstrap.standard());
        assertTrue(Judge.repetitionsToDecide(onTheBound, 20, Bootstrap.standard()).isEmpty());
    }

    @Test
    void aClaimInAnotherUnitThanItsMeasureIsAnError() {
        Claim inMicroseconds = Synthetic.claim(EffectKind.SAVING, "us", 1, 2);
        Synthetic data = new Synthetic(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> judge(inMicroseconds, data.normal(3, 1, 0.1), data.normal(3, 1, 0.1)));
        assertTrue(e.getMessage().contains("is in us") && e.getMessage().contains("in ns"), e.getMessage());
    }
}
