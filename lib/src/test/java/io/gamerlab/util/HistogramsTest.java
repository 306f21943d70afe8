package io.gamerlab.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramsTest {

    /** The q-th percentile by nearest rank, computed directly: the ceil(q/100 * n)-th smallest sample. */
    private static long nearestRank(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    private static Histogram of(long... samples) {
        Histogram h = Histograms.create();
        for (long s : samples) h.recordValue(s);
        return h;
    }

    @Test
    void percentilesOfASmallKnownSampleAreTheDirectNearestRankOnes() {
        // Ten samples, recorded out of order; below 2048 a three-digit histogram is exact.
        long[] samples = {700, 15, 3, 1999, 42, 42, 5, 1000, 250, 8};
        Histogram h = of(samples);
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        for (double p : new double[] {10, 25, 50, 75, 90, 99, 99.9, 100})
            assertEquals(nearestRank(sorted, p), h.getValueAtPercentile(p), "p" + p);
        assertEquals(42, h.getValueAtPercentile(50), "the 5th of 10 samples");
        assertEquals(1999, h.getValueAtPercentile(99.9));
        assertEquals(1999, h.getMaxValue());
        assertEquals(10, h.getTotalCount());
    }

    @Test
    void percentilesOfLargeValuesAreWithinAThousandthOfTheDirectOnes() {
        SplittableRandom random = new SplittableRandom(7);
        long[] samples = new long[10_001];
        for (int i = 0; i < samples.length; i++) samples[i] = (long) Math.exp(random.nextDouble() * 20);  // 1 ns .. 0.5 s
        Histogram h = of(samples);
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        for (double p : new double[] {50, 99, 99.9}) {
            long exact = nearestRank(sorted, p);
            long got = h.getValueAtPercentile(p);
            assertTrue(got >= exact && got <= exact + exact / 1000 + 1, "p" + p + ": " + got + " vs " + exact);
        }
        assertTrue(h.getMaxValue() >= sorted[sorted.length - 1] && h.getMaxValue() <= sorted[sorted.length - 1] * 1.001);
    }

    @Test
    void anEncodedHistogramDecodesEqual() {
        Histogram h = of(1, 2, 3, 1_000_000, 5_000_000_000L);
        String text = Histograms.encode(h);
        assertTrue(text.matches("[A-Za-z0-9+/=]+"), text);
        assertEquals(h, Histograms.decode(text));
        assertEquals(Histograms.create(), Histograms.decode(Histograms.encode(Histograms.create())), "empty");
    }

    @Test
    void decodedHistogramsOfTwoRunsAddUpToTheHistogramOfAllTheirSamples() {
        Histogram first = of(10, 20, 30_000, 7_000_000);
        Histogram second = of(15, 20, 40_000_000_000L);
        Histogram merged = Histograms.decode(Histograms.encode(first));
        merged.add(Histograms.decode(Histograms.encode(second)));
        assertEquals(of(10, 20, 30_000, 7_000_000, 15, 20, 40_000_000_000L), merged);
        assertEquals(20, merged.getValueAtPercentile(50));
    }

    @Test
    void aTextThatIsNoHistogramIsAnErrorSayingSo() {
        for (String bad : new String[] {"not base64!", "aGVsbG8gd29ybGQ="}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Histograms.decode(bad));
            assertTrue(e.getMessage().contains("is not a Base64-encoded compressed HdrHistogram"), e.getMessage());
        }
    }
}
