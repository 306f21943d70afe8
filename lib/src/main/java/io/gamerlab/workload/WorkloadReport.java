package io.gamerlab.workload;

import io.gamerlab.util.Histograms;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The metrics a workload measured from its own threads' point of view, and the latency
 * histograms (nanoseconds) its percentiles came from, kept so that repetitions merge exactly.
 */
public record WorkloadReport(List<Metric> metrics, List<Distribution> distributions) {

    public WorkloadReport {
        metrics = List.copyOf(metrics);
        distributions = List.copyOf(distributions);
    }

    /** One measured value; {@code unit} is spelled out so tables and charts can show it. */
    public record Metric(String name, String unit, double value) { }

    /** Every sample of one latency, in nanoseconds. */
    public record Distribution(String name, Histogram histogram) { }

    public double value(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric " + name + " in " + metrics))
                .value();
    }

    public Histogram histogram(String name) {
        return distributions.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no histogram " + name + " in "
                        + distributions.stream().map(Distribution::name).toList()))
                .histogram();
    }

    /** Collects a report's metrics in order. */
    static final class Builder {
        private final List<Metric> metrics = new ArrayList<>();
        private final List<Distribution> distributions = new ArrayList<>();

        Builder value(String name, String unit, double value) {
            metrics.add(new Metric(name, unit, value));
            return this;
        }

        Builder count(String name, double value) {
            return value(name, "count", value);
        }

        /**
         * {@code name_p50}, {@code _p99}, {@code _p999} (99.9th percentile) and {@code _max} of a
         * histogram of nanoseconds, in {@code unit} ({@code us} or {@code ms}), and the histogram
         * itself. An empty histogram gives NaN, never a made-up 0.
         */
        Builder latency(String name, Histogram nanos, String unit) {
            double scale = Histograms.nanosPer(unit);
            boolean empty = nanos.getTotalCount() == 0;
            for (String p : new String[] {"50", "99", "99.9"})
                value(name + "_p" + p.replace(".", ""), unit, empty ? Double.NaN : nanos.getValueAtPercentile(Double.parseDouble(p)) / scale);
            value(name + "_max", unit, empty ? Double.NaN : nanos.getMaxValue() / scale);
            distributions.add(new Distribution(name, nanos));
            return this;
        }

        Builder add(WorkloadReport other) {
            metrics.addAll(other.metrics());
            distributions.addAll(other.distributions());
            return this;
        }

        WorkloadReport build() {
            List<String> names = new ArrayList<>();
            for (Metric m : metrics) {
                if (names.contains(m.name())) throw new IllegalStateException("metric " + m.name() + " is reported twice");
                names.add(m.name());
            }
            return new WorkloadReport(metrics, distributions);
        }
    }
}
