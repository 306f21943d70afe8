package io.gamerlab.workload;

import java.util.List;

/** The metrics a workload measured from its own threads' point of view. */
public record WorkloadReport(List<Metric> metrics) {

    /** One measured value; {@code unit} is spelled out so tables and charts can show it. */
    public record Metric(String name, String unit, double value) { }

    public double value(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric " + name + " in " + metrics))
                .value();
    }
}
