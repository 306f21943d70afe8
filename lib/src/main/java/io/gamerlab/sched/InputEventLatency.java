package io.gamerlab.sched;

/**
 * A fixed-size latency histogram in nanoseconds: exact below 128 ns, then 64 buckets per power of
 * two (values are reported with at most 1/64 = 1.6 % relative error; the maximum is exact).
 * Constant memory (about 30 KB) however long a stream runs; no allocation per sample. Not
 * thread-safe.
 */
public final class InputEventLatency {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;            // 64 buckets per power of two
    private static final int LINEAR = 2 * SUB;               // 0..127 exact
    private static final int BUCKETS = SUB * (64 - SUB_BITS + 1);

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long max;

    /** Records one sample; negative values count as 0. */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        count++;
        if (v > max) max = v;
    }

    public long count() {
        return count;
    }

    public long max() {
        return max;
    }

    /**
     * The q-quantile (0..1) by nearest rank: the highest value of the bucket holding that rank,
     * capped at the maximum; 0 when nothing was recorded.
     */
    public long quantile(double q) {
        if (count == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(max, highestIn(i));
        }
        return max;
    }

    static int index(long v) {
        if (v < LINEAR) return (int) v;
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - SUB_BITS;                          // v >>> shift is in [64, 127]
        return SUB * (shift + 1) + (int) (v >>> shift) - SUB;
    }

    static long highestIn(int index) {
        if (index < LINEAR) return index;
        int shift = index / SUB - 1;
        long top = index % SUB + SUB;
        return ((top + 1) << shift) - 1;
    }
}
