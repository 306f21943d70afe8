package io.gamerlab.workload;

import java.util.Arrays;

/** Collects nanosecond samples from one thread and reports percentiles; no allocation per sample. */
final class LatencyRecorder {

    private long[] samples = new long[16_384];
    private int count;

    void record(long nanos) {
        if (count == samples.length) samples = Arrays.copyOf(samples, count * 2);
        samples[count++] = nanos;
    }

    int count() {
        return count;
    }

    long countAbove(long limit) {
        long n = 0;
        for (int i = 0; i < count; i++) if (samples[i] > limit) n++;
        return n;
    }

    /** The q-quantile (0..1) by nearest rank; NaN when nothing was recorded. */
    double quantile(double q) {
        if (count == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, rank))];
    }
}
