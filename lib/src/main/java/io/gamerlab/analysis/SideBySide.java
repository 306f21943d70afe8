package io.gamerlab.analysis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Run tables side by side by variant: one row per workload and metric, one column per variant
 * (e.g. {@code kernel-default} beside the baseline), each cell the mean over that variant's runs,
 * and how many runs that was. A metric a variant did not report is a missing cell, not a zero.
 */
public final class SideBySide {

    private SideBySide() { }

    /** The {@code source} rows of {@code runs} whose metric is one of {@code metrics}, by workload, metric and variant. */
    public static Table byVariant(Table runs, String source, List<String> metrics) {
        Table rows = runs.where(runs.stringColumn("source").isEqualTo(source)
                .and(runs.stringColumn("metric").isIn(metrics))
                .and(runs.stringColumn("status").isEqualTo("ok")));
        if (rows.isEmpty()) throw new IllegalArgumentException("none of the " + source + " metrics " + metrics + " in table " + runs.name());
        List<String> variants = List.copyOf(new LinkedHashSet<>(rows.stringColumn("variant").asList()));
        StringColumn workload = StringColumn.create("workload");
        StringColumn metric = StringColumn.create("metric");
        StringColumn unit = StringColumn.create("unit");
        List<DoubleColumn> means = new ArrayList<>();
        List<IntColumn> counts = new ArrayList<>();
        for (String v : variants) {
            means.add(DoubleColumn.create(v));
            counts.add(IntColumn.create("runs " + v));
        }
        for (String w : new LinkedHashSet<>(rows.stringColumn("workload").asList())) {
            Table ofWorkload = rows.where(rows.stringColumn("workload").isEqualTo(w));
            for (String m : metrics) {
                Table ofMetric = ofWorkload.where(ofWorkload.stringColumn("metric").isEqualTo(m));
                if (ofMetric.isEmpty()) continue;
                workload.append(w);
                metric.append(m);
                unit.append(ofMetric.stringColumn("unit").get(0));
                for (int i = 0; i < variants.size(); i++) {
                    Table cell = ofMetric.where(ofMetric.stringColumn("variant").isEqualTo(variants.get(i)));
                    DoubleColumn values = cell.doubleColumn("value");
                    if (values.isEmpty()) means.get(i).appendMissing();
                    else means.get(i).append(values.mean());
                    counts.get(i).append(cell.stringColumn(io.gamerlab.measure.Column.CELL_ID.label()).countUnique());
                }
            }
        }
        Table t = Table.create(source + " by variant", workload, metric, unit);
        t.addColumns(means.toArray(DoubleColumn[]::new));
        t.addColumns(counts.toArray(IntColumn[]::new));
        return t;
    }
}
