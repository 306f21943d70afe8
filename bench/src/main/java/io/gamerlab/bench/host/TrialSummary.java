package io.gamerlab.bench.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trials of one run grouped by config: means (and spread) over repetitions.
 *
 * @param <C> the bench's config
 */
public class TrialSummary<C> {
    private final Map<C, List<TrialMetrics<C>>> byConfig = new LinkedHashMap<>();

    public TrialSummary(List<? extends TrialMetrics<C>> trials) {
        for (TrialMetrics<C> t : trials) byConfig.computeIfAbsent(t.config, c -> new ArrayList<>()).add(t);
    }

    public List<C> configs() {
        return List.copyOf(byConfig.keySet());
    }

    public boolean has(C c) {
        return byConfig.containsKey(c);
    }

    public int repetitions(C c) {
        List<TrialMetrics<C>> ts = byConfig.get(c);
        return ts == null ? 0 : ts.size();
    }

    public List<TrialMetrics<C>> trials(C c) {
        return byConfig.getOrDefault(c, List.of());
    }

    /** Mean of {@code source.metric} over the config's repetitions; NaN if it was not measured. */
    public double mean(C c, String key) {
        List<TrialMetrics<C>> ts = byConfig.get(c);
        if (ts == null) return Double.NaN;
        double sum = 0;
        int n = 0;
        for (TrialMetrics<C> t : ts) {
            double v = t.get(key);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Sample standard deviation over repetitions; NaN with fewer than two. */
    public double stddev(C c, String key) {
        List<TrialMetrics<C>> ts = byConfig.get(c);
        if (ts == null) return Double.NaN;
        double m = mean(c, key);
        double sq = 0;
        int n = 0;
        for (TrialMetrics<C> t : ts) {
            double v = t.get(key);
            if (!Double.isNaN(v)) {
                sq += (v - m) * (v - m);
                n++;
            }
        }
        return n < 2 ? Double.NaN : Math.sqrt(sq / (n - 1));
    }

    public long failedTrials(C c) {
        return trials(c).stream().filter(t -> !t.ok()).count();
    }
}
