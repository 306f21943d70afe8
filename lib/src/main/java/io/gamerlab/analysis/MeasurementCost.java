package io.gamerlab.analysis;

import io.gamerlab.measure.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * What measuring cost a sweep's workload: each control cell (measurement off: no perf counters,
 * no consumer of the input-event stream) against the cells of the same variant and workload with
 * measurement on, as the ratio of their means (on / off) for the workload's headline metrics: the
 * medians of its latencies and its rates. With two repetitions or more on each side the ratio gets
 * a bootstrap interval ({@link Bootstrap#standard()}). The target is a cost under 1 %; it is
 * reported, never assumed.
 */
public final class MeasurementCost {

    /** The level of the intervals. */
    public static final double LEVEL = 0.95;
    /** What a cost under 1 % means here: the ratio's distance from 1. */
    public static final double TARGET = 0.01;

    /** One metric: its means with measurement off and on, their ratio (on / off), and its interval (null below 2 repetitions). */
    public record Line(String variant, String workload, String metric, String unit, Sample off, Sample on, double ratio, Interval interval) {
        public boolean withinTarget() {
            return Math.abs(ratio - 1) < TARGET;
        }
    }

    private MeasurementCost() { }

    /** The lines of a dataset's rows ({@code Dataset.table()}): none if it has no control cell yet. */
    public static List<Line> of(Table rows) {
        Map<String, Map<Boolean, List<Double>>> byKey = new TreeMap<>();
        Map<String, String[]> what = new TreeMap<>();
        List<String> controlled = new ArrayList<>();
        for (Row r : rows) {
            if (r.getString(Column.MEASUREMENT.label()).equals("off")) controlled.add(condition(r));
        }
        for (Row r : rows) {
            String condition = condition(r);
            if (!controlled.contains(condition) || !r.getString(Column.SOURCE.label()).equals("workload")
                    || !r.getString(Column.STATUS.label()).equals(Column.Status.OK) || !headline(r)) continue;
            double value = r.getDouble(Column.VALUE.label());
            if (!Double.isFinite(value)) continue;
            String key = condition + "\u0000" + r.getString(Column.METRIC.label());
            what.putIfAbsent(key, new String[] {r.getString(Column.VARIANT.label()), workload(r), r.getString(Column.METRIC.label()),
                    r.getString(Column.UNIT.label())});
            byKey.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(r.getString(Column.MEASUREMENT.label()).equals("on"),
                    k -> new ArrayList<>()).add(value);
        }
        List<Line> lines = new ArrayList<>();
        byKey.forEach((key, sides) -> {
            List<Double> off = sides.get(false);
            List<Double> on = sides.get(true);
            if (off == null || on == null) return;
            Sample offSample = Sample.of(off.stream().mapToDouble(Double::doubleValue).toArray());
            Sample onSample = Sample.of(on.stream().mapToDouble(Double::doubleValue).toArray());
            if (offSample.mean() == 0) return;  // a ratio to nothing says nothing
            Interval interval = Math.min(off.size(), on.size()) >= 2
                    ? Bootstrap.standard().interval(offSample, onSample, EffectKind.RATIO, LEVEL) : null;
            String[] w = what.get(key);
            lines.add(new Line(w[0], w[1], w[2], w[3], offSample, onSample, EffectKind.RATIO.of(offSample.mean(), onSample.mean()), interval));
        });
        return lines;
    }

    /** The lines as a table for a terminal or a notebook. */
    public static String describe(List<Line> lines) {
        if (lines.isEmpty()) return "measurement cost: no control cell with a measured counterpart stored yet\n";
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "measurement cost (workload's result with counters and event streaming on / off; target within %.0f %%):%n", TARGET * 100));
        s.append(String.format(Locale.ROOT, "  %-28s %-24s %-30s %12s %12s %8s  %-22s %s%n", "variant", "workload", "metric", "off", "on",
                "on/off", String.format(Locale.ROOT, "%.0f %% interval", LEVEL * 100), "within 1 %"));
        for (Line l : lines)
            s.append(String.format(Locale.ROOT, "  %-28s %-24s %-30s %12s %12s %8.4f  %-22s %s%n", l.variant(), l.workload(), l.metric(),
                    value(l.off(), l.unit()), value(l.on(), l.unit()), l.ratio(),
                    l.interval() == null ? "(1 repetition)" : String.format(Locale.ROOT, "[%.4f, %.4f]", l.interval().low(), l.interval().high()),
                    l.withinTarget() ? "yes" : "no"));
        return s.toString();
    }

    private static String value(Sample s, String unit) {
        return String.format(Locale.ROOT, "%.4g %s", s.mean(), unit);
    }

    /** A latency's median or a rate: what a workload's result is, as opposed to its counts and tails. */
    private static boolean headline(Row r) {
        String metric = r.getString(Column.METRIC.label());
        String unit = r.getString(Column.UNIT.label());
        return metric.endsWith("_p50") || unit.endsWith("/s") || unit.equals("fps");
    }

    private static String condition(Row r) {
        return r.getString(Column.VARIANT.label()) + "|" + workload(r) + "|" + r.getString(Column.TUNABLES.label());
    }

    private static String workload(Row r) {
        String params = r.getString(Column.WORKLOAD_PARAMS.label());
        return r.getString(Column.WORKLOAD.label()) + (params.isEmpty() ? "" : ":" + params);
    }
}
