package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InputEventLatencyTest {

    @Test
    void bucketsAreContiguousAndCoverEveryLong() {
        long previousHigh = -1;
        for (int i = 0; i <= InputEventLatency.index(Long.MAX_VALUE); i++) {
            long high = InputEventLatency.highestIn(i);
            assertEquals(i, InputEventLatency.index(previousHigh + 1), "bucket " + i + " starts after the last");
            assertEquals(i, InputEventLatency.index(high));
            previousHigh = high;
        }
        assertEquals(Long.MAX_VALUE, previousHigh);
    }

    @Test
    void quantilesAreWithinOneBucketOfTheExactNearestRank() {
        Random random = new Random(42);
        InputEventLatency latency = new InputEventLatency();
        long[] samples = new long[100_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (long) Math.exp(random.nextDouble() * 20); // 1 ns .. 0.5 s
            latency.record(samples[i]);
        }
        Arrays.sort(samples);
        for (double q : new double[] {0.5, 0.95, 0.99, 1.0}) {
            long exact = samples[(int) Math.ceil(q * samples.length) - 1];
            long got = latency.quantile(q);
            assertTrue(got >= exact && got <= exact + exact / 64 + 1, "q" + q + ": " + got + " vs exact " + exact);
        }
        assertEquals(samples[samples.length - 1], latency.max());
        assertEquals(samples.length, latency.count());
    }

    @Test
    void smallValuesAreExactAndNegativeOnesCountAsZero() {
        InputEventLatency latency = new InputEventLatency();
        assertEquals(0, latency.quantile(0.5), "empty");
        for (long v : new long[] {5, 7, 100, -3}) latency.record(v);
        assertEquals(0, latency.quantile(0.25));
        assertEquals(5, latency.quantile(0.5));
        assertEquals(100, latency.quantile(1.0));
    }
}
