package io.gamerlab.analysis;

import io.gamerlab.measure.RunTable;
import io.gamerlab.util.Histograms;
import org.HdrHistogram.Histogram;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Latency histograms read back from run tables (the histogram rows of
 * {@link io.gamerlab.measure.RunTable}) and merged: the histogram of every sample of every
 * repetition, from which percentiles are read once, instead of averaging each run's percentiles.
 */
public final class LatencyHistograms {

    private LatencyHistograms() { }

    /** Every sample of {@code latency} (e.g. {@code frame_interval}) from {@code source} in {@code runs}, merged. */
    public static Histogram merged(Table runs, String source, String latency) {
        Table rows = rows(runs, source, latency);
        if (rows.isEmpty())
            throw new IllegalArgumentException("no " + source + "/" + latency + RunTable.HISTOGRAM_SUFFIX + " rows in table " + runs.name());
        Histogram all = Histograms.create();
        for (String note : rows.stringColumn("note")) all.add(Histograms.decode(note));
        return all;
    }

    /**
     * One row per distinct value of {@code groupColumn} (e.g. {@code variant}): how many runs, how
     * many samples, and the merged histogram's p50, p99, p99.9 and maximum in {@code unit} (us or ms).
     */
    public static Table percentiles(Table runs, String source, String latency, String groupColumn, String unit) {
        double scale = Histograms.nanosPer(unit);
        Table rows = rows(runs, source, latency);
        StringColumn group = StringColumn.create(groupColumn);
        IntColumn runCount = IntColumn.create("runs");
        DoubleColumn samples = DoubleColumn.create("samples");
        DoubleColumn p50 = DoubleColumn.create("p50_" + unit);
        DoubleColumn p99 = DoubleColumn.create("p99_" + unit);
        DoubleColumn p999 = DoubleColumn.create("p99.9_" + unit);
        DoubleColumn max = DoubleColumn.create("max_" + unit);
        for (String value : rows.column(groupColumn).asStringColumn().unique()) {
            Histogram h = merged(rows.where(rows.column(groupColumn).asStringColumn().isEqualTo(value)), source, latency);
            group.append(value);
            runCount.append(rows.where(rows.column(groupColumn).asStringColumn().isEqualTo(value)).stringColumn(io.gamerlab.measure.Column.CELL_ID.label()).countUnique());
            samples.append(h.getTotalCount());
            p50.append(h.getValueAtPercentile(50) / scale);
            p99.append(h.getValueAtPercentile(99) / scale);
            p999.append(h.getValueAtPercentile(99.9) / scale);
            max.append(h.getMaxValue() / scale);
        }
        return Table.create(source + "/" + latency + " by " + groupColumn, group, runCount, samples, p50, p99, p999, max);
    }

    private static Table rows(Table runs, String source, String latency) {
        return runs.where(runs.stringColumn("source").isEqualTo(source)
                .and(runs.stringColumn("metric").isEqualTo(latency + RunTable.HISTOGRAM_SUFFIX)));
    }
}
