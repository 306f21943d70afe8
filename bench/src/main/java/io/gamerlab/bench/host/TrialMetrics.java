package io.gamerlab.bench.host;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one trial of a host bench (one config, one repetition) measured and checked: named metrics,
 * long format, in the order they were added.
 *
 * @param <C> the bench's config: what a trial varies
 */
public class TrialMetrics<C> {
    public static final String OK = io.gamerlab.measure.Column.Status.OK;
    public static final String FAILED = io.gamerlab.measure.Column.Status.FAILED;

    /** One measured quantity; {@code status} is {@code failed} for a check that did not pass, with a note saying what it expected. */
    public record Metric(String source, String name, String unit, double value, String status, String note) {
        public String key() {
            return source + "." + name;
        }
    }

    public final C config;
    public final int repetition;
    /** Position in the run's (shuffled) order, from 0. */
    public final int order;
    /** When the trial began (its rows' {@code started_at}). */
    public final Instant startedAt = Instant.now();
    private final Map<String, Metric> metrics = new LinkedHashMap<>();

    public TrialMetrics(C config, int repetition, int order) {
        this.config = config;
        this.repetition = repetition;
        this.order = order;
    }

    /** A metric as it was measured or stored. */
    public void add(Metric m) {
        put(m);
    }

    public void add(String source, String name, String unit, double value) {
        put(new Metric(source, name, unit, value, OK, ""));
    }

    public void add(String source, String name, String unit, double value, String note) {
        put(new Metric(source, name, unit, value, OK, note));
    }

    /** A check: {@code ok} or not, and the note says what was expected. */
    public void check(String source, String name, String unit, double value, boolean ok, String expectation) {
        put(new Metric(source, name, unit, value, ok ? OK : FAILED, expectation));
    }

    private void put(Metric m) {
        metrics.put(m.key(), m);
    }

    /** The value of {@code source.name}, or NaN if this trial has no such metric. */
    public double get(String key) {
        Metric m = metrics.get(key);
        return m == null ? Double.NaN : m.value();
    }

    public List<Metric> metrics() {
        return List.copyOf(metrics.values());
    }

    public List<String> failures() {
        List<String> failed = new ArrayList<>();
        for (Metric m : metrics.values()) {
            if (m.status().equals(FAILED)) failed.add(m.key() + "=" + (long) m.value() + " (" + m.note() + ")");
        }
        return failed;
    }

    public boolean ok() {
        return failures().isEmpty();
    }

    @Override
    public String toString() {
        return "#" + order + " " + config + " rep=" + repetition;
    }
}
