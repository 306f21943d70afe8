package io.gamerlab.bench.ringbuf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The trials of one run grouped by config: means (and spread) over repetitions. */
final class Summary {
    private final Map<Config, List<TrialResult>> byConfig = new LinkedHashMap<>();

    Summary(List<TrialResult> trials) {
        for (TrialResult t : trials) byConfig.computeIfAbsent(t.config, c -> new ArrayList<>()).add(t);
    }

    List<Config> configs() {
        return List.copyOf(byConfig.keySet());
    }

    boolean has(Config c) {
        return byConfig.containsKey(c);
    }

    int repetitions(Config c) {
        List<TrialResult> ts = byConfig.get(c);
        return ts == null ? 0 : ts.size();
    }

    List<TrialResult> trials(Config c) {
        return byConfig.getOrDefault(c, List.of());
    }

    /** Mean of {@code source.metric} over the config's repetitions; NaN if it was not measured. */
    double mean(Config c, String key) {
        List<TrialResult> ts = byConfig.get(c);
        if (ts == null) return Double.NaN;
        double sum = 0;
        int n = 0;
        for (TrialResult t : ts) {
            double v = t.get(key);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Sample standard deviation over repetitions; NaN with fewer than two. */
    double stddev(Config c, String key) {
        List<TrialResult> ts = byConfig.get(c);
        if (ts == null) return Double.NaN;
        double m = mean(c, key);
        double sq = 0;
        int n = 0;
        for (TrialResult t : ts) {
            double v = t.get(key);
            if (!Double.isNaN(v)) {
                sq += (v - m) * (v - m);
                n++;
            }
        }
        return n < 2 ? Double.NaN : Math.sqrt(sq / (n - 1));
    }

    long failedTrials(Config c) {
        return trials(c).stream().filter(t -> !t.ok()).count();
    }
}
