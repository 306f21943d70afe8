package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.TrialSummary;
import io.gamerlab.bench.ringbuf.LatencyConfig.Arrival;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Prints a latency run: per configuration the distribution of each kind of event's latency, merged
 * over repetitions, with the spread of the per-trial medians beside it; then what batch 8 and 16
 * add over batch 1 for each arrival, as the mean over repetitions of each trial's percentile, with
 * its standard deviation.
 */
final class LatencyReport {
    static final String ADDS = "batching adds";

    private LatencyReport() {
    }

    /**
     * The latency that speaks for an arrival: the first event of each burst (burst: a burst fills
     * whole batches), every event (timer: each is alone in its batch), the first event of each
     * record (stream: consecutive calls fill a batch).
     */
    static String headline(Arrival arrival) {
        return switch (arrival) {
            case BURST -> LatencyHistograms.FIRST_IN_BURST;
            case TIMER -> LatencyHistograms.ALL;
            case STREAM -> LatencyHistograms.FIRST_IN_RECORD;
        };
    }

    static void print(PrintStream out, List<LatencyTrial.Result> trials, TrialSummary<LatencyConfig> s, int repetitions) {
        Map<LatencyConfig, Map<String, Histogram>> merged = new LinkedHashMap<>();
        for (LatencyTrial.Result t : trials) {
            Map<String, Histogram> m = merged.computeIfAbsent(t.config, c -> new LinkedHashMap<>());
            t.histograms().forEach((kind, h) -> m.computeIfAbsent(kind, k -> LatencyHistograms.histogram()).add(h));
        }
        List<LatencyConfig> configs = new ArrayList<>(merged.keySet());
        configs.sort((a, b) -> a.arrival() != b.arrival() ? a.arrival().compareTo(b.arrival()) : Integer.compare(a.batch(), b.batch()));
        out.println("First-event latency: from creation (bpf_ktime_get_ns in the producer's BPF program) to availability (the spinning consumer");
        out.printf(Locale.ROOT, "reaching its record), ns. Distributions merged over repetitions (%d per config); 'p50 over reps' = mean ± sd of each trial's p50.%n",
                repetitions);
        out.printf(Locale.ROOT, "  %-7s %5s  %-15s %9s %9s %9s %9s %9s %9s   %s%n", "arrival", "batch", "events", "n", "p50", "p90", "p99", "p99.9", "max",
                "p50 over reps");
        for (LatencyConfig c : configs)
            for (Map.Entry<String, Histogram> e : merged.get(c).entrySet()) {
                // One event per call: the first of its burst is every event.
                if (c.eventsPerCall() == 1 && e.getKey().equals(LatencyHistograms.FIRST_IN_BURST)) continue;
                Histogram h = e.getValue();
                String key = "latency." + e.getKey() + ".p50";
                out.printf(Locale.ROOT, "  %-7s %5d  %-15s %9d %9s %9s %9s %9s %9s   %s ± %s%n", c.arrival().label(), c.batch(), e.getKey(), h.getTotalCount(),
                        at(h, 50), at(h, 90), at(h, 99), at(h, 99.9), h.getTotalCount() == 0 ? "n/a" : Long.toString(h.getMaxValue()),
                        Ratios.ns(s.mean(c, key)), Ratios.ns(s.stddev(c, key)));
            }
        out.println("What batching adds to the event that waits longest (batch B minus batch 1; mean over repetitions of each trial's percentile ± sd):");
        for (Arrival arrival : Arrival.values()) {
            LatencyConfig one = configs.stream().filter(c -> c.arrival() == arrival && c.batch() == 1).findFirst().orElse(null);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-14s %-6s %-16s", ADDS, arrival.label(), headline(arrival)));
            for (int batch : LatencyBench.BATCHES) {
                if (batch == 1) continue;
                LatencyConfig b = configs.stream().filter(c -> c.arrival() == arrival && c.batch() == batch).findFirst().orElse(null);
                line.append(String.format(Locale.ROOT, "  batch %d: p50 %s, p99 %s", batch, difference(s, b, one, headline(arrival), "p50"),
                        difference(s, b, one, headline(arrival), "p99")));
            }
            out.println(line);
        }
    }

    private static String difference(TrialSummary<LatencyConfig> s, LatencyConfig a, LatencyConfig b, String kind, String percentile) {
        if (a == null || b == null) return "n/a";
        String key = "latency." + kind + "." + percentile;
        double d = s.mean(a, key) - s.mean(b, key);
        double sd = Math.hypot(s.stddev(a, key), s.stddev(b, key));
        return Double.isNaN(d) ? "n/a" : Ratios.signed(d) + " ± " + Ratios.ns(sd) + " ns";
    }

    private static String at(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "n/a" : Long.toString(h.getValueAtPercentile(percentile));
    }
}
