package io.gamerlab.analysis;

import io.gamerlab.experiment.CellCost;
import io.gamerlab.measure.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * A sweep's cost per cell beyond its workloads' time, from the rows its cells recorded
 * ({@link CellCost}): the time in the cell itself (load, attach, detach, tabulate, write) and,
 * in a guest, the boot's share. The target here is at most 1 s per cell; it is reported, never assumed.
 */
public record SweepOverhead(Sample inCell, Sample bootShare) {

    public static final double TARGET_SECONDS = 1.0;

    /** From a dataset's rows ({@code Dataset.table()}, failures included or not); null where no cell recorded its cost. */
    public static SweepOverhead of(Table rows) {
        List<Double> inCell = new ArrayList<>();
        List<Double> boot = new ArrayList<>();
        for (Row r : rows) {
            if (!r.getString(Column.SOURCE.label()).equals(CellCost.SOURCE)) continue;
            String metric = r.getString(Column.METRIC.label());
            if (metric.equals(CellCost.OVERHEAD)) inCell.add(r.getDouble(Column.VALUE.label()));
            else if (metric.equals(CellCost.BOOT_SHARE)) boot.add(r.getDouble(Column.VALUE.label()));
        }
        if (inCell.isEmpty()) return null;
        return new SweepOverhead(sample(inCell), boot.isEmpty() ? null : sample(boot));
    }

    private static Sample sample(List<Double> values) {
        return Sample.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Beyond the workload, per cell: in the cell, plus the boot's share where there was one. */
    public double perCellSeconds() {
        return inCell.mean() + (bootShare == null ? 0 : bootShare.mean());
    }

    public String describe() {
        double[] sorted = inCell.values();
        java.util.Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format(Locale.ROOT, "per-cell overhead beyond workload time, over %d cells: %.2f s in the cell (load, attach,"
                        + " detach, write; median %.2f s, max %.2f s)%s = %.2f s per cell (target <= %.0f s: %s)%n", inCell.n(), inCell.mean(),
                median, sorted[sorted.length - 1],
                bootShare == null ? "" : String.format(Locale.ROOT, " + %.2f s boot share", bootShare.mean()), perCellSeconds(),
                TARGET_SECONDS, perCellSeconds() <= TARGET_SECONDS ? "met" : "not met");
    }
}
