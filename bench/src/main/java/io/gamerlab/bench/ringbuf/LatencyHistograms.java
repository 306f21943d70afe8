package io.gamerlab.bench.ringbuf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Per event, the time from its creation ({@code bpf_ktime_get_ns()} in the producer's BPF
 * program, CLOCK_MONOTONIC) to the moment the consumer's walk reached its record
 * ({@code System.nanoTime()}, CLOCK_MONOTONIC too, read once per record): how long the event
 * waited before a consumer could have it. Three HdrHistograms (ns, 3 significant digits):
 * {@code first_in_burst} (the first event a call emitted: code 0), {@code first_in_record} (the
 * first event of each record, the one a batch held longest) and {@code all}. Only events created
 * inside the measured window count.
 *
 * <p>Runs on the consumer thread as the decoder's observer; read it after that thread stopped.
 */
final class LatencyHistograms implements EventDecoder.Observer {
    static final String FIRST_IN_BURST = "first_in_burst";
    static final String FIRST_IN_RECORD = "first_in_record";
    static final String ALL = "all";
    static final List<String> KINDS = List.of(FIRST_IN_BURST, FIRST_IN_RECORD, ALL);
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram firstInBurst = histogram();
    private final Histogram firstInRecord = histogram();
    private final Histogram all = histogram();
    private volatile long fromNs = Long.MAX_VALUE;
    private volatile long toNs = Long.MAX_VALUE;
    private long seenNs;
    /** Events that seemed to arrive before they were made: a sign the two clocks differ. */
    long negative;

    static Histogram histogram() {
        return new Histogram(HIGHEST_NS, 3);
    }

    /** Events created from now on count; the histograms' interval starts now (wall clock, for the histogram log). */
    void open(long nowNs) {
        long millis = System.currentTimeMillis();
        for (Histogram h : byKind().values()) h.setStartTimeStamp(millis);
        fromNs = nowNs;
    }

    /** Events created after now do not count; the histograms' interval ends now. */
    void close(long nowNs) {
        toNs = nowNs;
        long millis = System.currentTimeMillis();
        for (Histogram h : byKind().values()) h.setEndTimeStamp(millis);
    }

    @Override
    public void event(long tsNs, int code, int indexInRecord) {
        if (indexInRecord == 0) seenNs = System.nanoTime();
        if (tsNs < fromNs || tsNs > toNs) return;
        long latency = seenNs - tsNs;
        if (latency < 0) {
            negative++;
            return;
        }
        long v = Math.min(latency, HIGHEST_NS);
        all.recordValue(v);
        if (indexInRecord == 0) firstInRecord.recordValue(v);
        if (code == 0) firstInBurst.recordValue(v);
    }

    /** The three histograms, by kind. */
    Map<String, Histogram> byKind() {
        Map<String, Histogram> m = new LinkedHashMap<>();
        m.put(FIRST_IN_BURST, firstInBurst);
        m.put(FIRST_IN_RECORD, firstInRecord);
        m.put(ALL, all);
        return m;
    }
}
