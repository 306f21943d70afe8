package io.gamerlab.bench.ringbuf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one trial (one config, one repetition) measured and checked: named metrics, long format. */
final class TrialResult {
    static final String OK = "ok";
    static final String FAILED = "failed";

    /** One measured quantity; {@code status} is {@code failed} for a check that did not pass, with a note saying what it expected. */
    record Metric(String source, String name, String unit, double value, String status, String note) {
        String key() {
            return source + "." + name;
        }
    }

    final Config config;
    final int repetition;
    /** Position in the run's (shuffled) order, from 0. */
    final int order;
    private final Map<String, Metric> metrics = new LinkedHashMap<>();

    TrialResult(Config config, int repetition, int order) {
        this.config = config;
        this.repetition = repetition;
        this.order = order;
    }

    TrialResult add(String source, String name, String unit, double value) {
        return put(new Metric(source, name, unit, value, OK, ""));
    }

    TrialResult add(String source, String name, String unit, double value, String note) {
        return put(new Metric(source, name, unit, value, OK, note));
    }

    /** A check: {@code ok} or not, and the note says what was expected. */
    TrialResult check(String source, String name, String unit, double value, boolean ok, String expectation) {
        return put(new Metric(source, name, unit, value, ok ? OK : FAILED, expectation));
    }

    private TrialResult put(Metric m) {
        metrics.put(m.key(), m);
        return this;
    }

    /** The value of {@code source.name}, or NaN if this trial has no such metric. */
    double get(String key) {
        Metric m = metrics.get(key);
        return m == null ? Double.NaN : m.value();
    }

    List<Metric> metrics() {
        return List.copyOf(metrics.values());
    }

    List<String> failures() {
        List<String> failed = new ArrayList<>();
        for (Metric m : metrics.values()) {
            if (m.status().equals(FAILED)) failed.add(m.key() + "=" + (long) m.value() + " (" + m.note() + ")");
        }
        return failed;
    }

    boolean ok() {
        return failures().isEmpty();
    }

    @Override
    public String toString() {
        return "#" + order + " " + config + " rep=" + repetition;
    }
}
