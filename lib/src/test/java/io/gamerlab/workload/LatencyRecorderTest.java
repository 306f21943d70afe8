package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    private static LatencyRecorder recordingShuffled(int from, int to) {
        List<Long> values = new ArrayList<>();
        for (long v = from; v <= to; v++) values.add(v);
        Collections.shuffle(values, new Random(42));
        LatencyRecorder r = new LatencyRecorder();
        values.forEach(r::record);
        return r;
    }

    @Test
    void quantilesAreTakenByNearestRankWhateverTheRecordingOrder() {
        LatencyRecorder r = recordingShuffled(1, 100);
        assertEquals(100, r.count());
        assertEquals(50.0, r.quantile(0.50));
        assertEquals(99.0, r.quantile(0.99));
        assertEquals(100.0, r.quantile(1.0));
        assertEquals(1.0, r.quantile(0.0));  // rank clamps to the smallest sample
        assertEquals(1.0, r.quantile(0.01));
        assertEquals(2.0, r.quantile(0.011));  // ceil(1.1) = 2nd smallest
    }

    @Test
    void nearestRankOfAnOddCountIsASampleNotAnInterpolation() {
        LatencyRecorder r = recordingShuffled(1, 3);
        assertEquals(2.0, r.quantile(0.5));
        assertEquals(3.0, r.quantile(0.99));
    }

    @Test
    void theRecorderGrowsBeyondItsInitialCapacityKeepingEverySample() {
        LatencyRecorder r = recordingShuffled(0, 39_999);  // over twice the initial 16384
        assertEquals(40_000, r.count());
        assertEquals(0.0, r.quantile(0.0));
        assertEquals(19_999.0, r.quantile(0.5));
        assertEquals(39_599.0, r.quantile(0.99));
        assertEquals(39_999.0, r.quantile(1.0));
        assertEquals(10, r.countAbove(39_989));
    }

    @Test
    void anEmptyRecorderHasNoQuantilesAndNothingAbove() {
        LatencyRecorder r = new LatencyRecorder();
        assertEquals(0, r.count());
        assertTrue(Double.isNaN(r.quantile(0.5)));
        assertTrue(Double.isNaN(r.quantile(1.0)));
        assertEquals(0, r.countAbove(Long.MIN_VALUE));
    }

    @Test
    void countAboveIsStrictlyGreater() {
        LatencyRecorder r = new LatencyRecorder();
        for (long v : new long[] {5, 10, 10, 11, 20}) r.record(v);
        assertEquals(2, r.countAbove(10));
        assertEquals(4, r.countAbove(9));
        assertEquals(0, r.countAbove(20));
    }

    @Test
    void quantilesDoNotDisturbLaterRecording() {
        LatencyRecorder r = new LatencyRecorder();
        r.record(30);
        r.record(10);
        assertEquals(30.0, r.quantile(1.0));
        r.record(20);
        assertEquals(3, r.count());
        assertEquals(20.0, r.quantile(0.5));
        assertEquals(10.0, r.quantile(0.0));
    }
}
