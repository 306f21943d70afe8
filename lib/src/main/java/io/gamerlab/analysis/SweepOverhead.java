package io.gamerlab.analysis;

import io.gamerlab.experiment.CellCost;
import io.gamerlab.measure.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.statistics.descriptive.Median;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * A sweep's cost per cell beyond its workloads' time, from the rows its cells recorded
 * ({@link CellCost}): the time in the cell itself (load, attach, detach, tabulate, write) and,
 * in a guest, the boot's share; where the cells timed their phases, what the time in the cell is
 * made of, on average and in the slowest cell. The target, at most 1 s per cell after boot, is
 * judged on the cells after their boot's first ({@code afterFirst}): a boot's first cell also
 * bears the guest JVM's warm-up, reported apart ({@code first}). Reported, never assumed.
 *
 * @param afterFirst the in-cell overhead of cells after their boot's first, or of every cell where
 *                   none recorded its place in a boot (the host)
 * @param first      the in-cell overhead of each boot's first cell; null where none recorded it
 *
 * @param parts   each part's sample over the cells that recorded it, by part (phase) name, in
 *                the order the cells ran them; empty where none did
 * @param slowest the cell with the most overhead in the cell
 */
public record SweepOverhead(Sample inCell, Sample afterFirst, Sample first, Sample bootShare, Map<String, Sample> parts, Slowest slowest) {

    public static final double TARGET_SECONDS = 1.0;

    /** The cell of the most overhead: its id, that overhead, and its parts (empty if it timed none). */
    public record Slowest(String cellId, double seconds, Map<String, Double> parts) { }

    /** From a dataset's rows ({@code Dataset.table()}, failures included or not); null where no cell recorded its cost. */
    public static SweepOverhead of(Table rows) {
        List<Double> inCell = new ArrayList<>();
        List<Double> boot = new ArrayList<>();
        Map<String, Double> overheadByAttempt = new LinkedHashMap<>();
        Map<String, Double> positionByAttempt = new LinkedHashMap<>();
        Map<String, List<Double>> parts = new LinkedHashMap<>();
        // By cell and start, so failed attempts at a cell stay apart from its result.
        Map<String, Map<String, Double>> partsByAttempt = new LinkedHashMap<>();
        String slowestAttempt = null;
        String slowestCell = null;
        double slowestSeconds = Double.NEGATIVE_INFINITY;
        for (Row r : rows) {
            if (!r.getString(Column.SOURCE.label()).equals(CellCost.SOURCE)) continue;
            String metric = r.getString(Column.METRIC.label());
            double value = r.getDouble(Column.VALUE.label());
            String attempt = r.getString(Column.CELL_ID.label()) + " " + r.getString(Column.STARTED_AT.label());
            if (metric.equals(CellCost.OVERHEAD)) {
                inCell.add(value);
                overheadByAttempt.put(attempt, value);
                if (value > slowestSeconds) {
                    slowestSeconds = value;
                    slowestAttempt = attempt;
                    slowestCell = r.getString(Column.CELL_ID.label());
                }
            } else if (metric.equals(CellCost.BOOT_SHARE)) {
                boot.add(value);
            } else if (metric.equals(CellCost.BOOT_POSITION)) {
                positionByAttempt.put(attempt, value);
            } else if (metric.startsWith(CellCost.PART_PREFIX)) {
                String part = metric.substring(CellCost.PART_PREFIX.length(), metric.length() - "_s".length());
                parts.computeIfAbsent(part, p -> new ArrayList<>()).add(value);
                partsByAttempt.computeIfAbsent(attempt, a -> new LinkedHashMap<>()).put(part, value);
            }
        }
        if (inCell.isEmpty()) return null;
        List<Double> first = new ArrayList<>();
        List<Double> afterFirst = new ArrayList<>();
        overheadByAttempt.forEach((attempt, seconds) -> (positionByAttempt.getOrDefault(attempt, 0.0) == 1 ? first : afterFirst).add(seconds));
        Map<String, Sample> partSamples = new LinkedHashMap<>();
        parts.forEach((part, values) -> partSamples.put(part, sample(values)));
        return new SweepOverhead(sample(inCell), afterFirst.isEmpty() ? null : sample(afterFirst), first.isEmpty() ? null : sample(first),
                boot.isEmpty() ? null : sample(boot), partSamples,
                new Slowest(slowestCell, slowestSeconds, partsByAttempt.getOrDefault(slowestAttempt, Map.of())));
    }

    private static double median(Sample s) {
        return Median.withDefaults().evaluate(s.values());
    }

    private static double max(Sample s) {
        return Arrays.stream(s.values()).max().orElseThrow();
    }

    private static Sample sample(List<Double> values) {
        return Sample.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Beyond the workload, per cell, all in: in the cell, plus the boot's share where there was one. */
    public double perCellSeconds() {
        return inCell.mean() + (bootShare == null ? 0 : bootShare.mean());
    }

    /** Whether the cells after their boot's first stayed within {@link #TARGET_SECONDS} on average; false where there were none. */
    public boolean targetMet() {
        return afterFirst != null && afterFirst.mean() <= TARGET_SECONDS;
    }

    public String describe() {
        String text = String.format(Locale.ROOT, "per-cell overhead beyond workload time, over %d cells: %.2f s in the cell (load, attach,"
                        + " detach, write; median %.2f s, max %.2f s)%s = %.2f s per cell, all in%n", inCell.n(), inCell.mean(), median(inCell),
                max(inCell), bootShare == null ? "" : String.format(Locale.ROOT, " + %.2f s boot share", bootShare.mean()), perCellSeconds());
        if (afterFirst != null)
            text += String.format(Locale.ROOT, "  after boot (%s, %d cells): %.2f s in the cell (median %.2f s); target <= %.0f s: %s%n",
                    first == null ? "every cell" : "the cells after each boot's first", afterFirst.n(), afterFirst.mean(), median(afterFirst),
                    TARGET_SECONDS, targetMet() ? "met" : "not met");
        if (first != null)
            text += String.format(Locale.ROOT, "  each boot's first cell (%d): %.2f s in the cell (it also bears the guest JVM's warm-up)%n",
                    first.n(), first.mean());
        if (parts.isEmpty()) return text;
        String means = parts.entrySet().stream()
                .map(p -> String.format(Locale.ROOT, "%s %.2f", p.getKey(), p.getValue().mean())).collect(Collectors.joining(", "));
        text += String.format(Locale.ROOT, "  in the cell, by phase (mean s over the cells that ran it; warm-up and workload: beyond"
                + " their nominal length): %s%n", means);
        if (!slowest.parts().isEmpty()) {
            String largest = slowest.parts().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                    .limit(3).map(p -> String.format(Locale.ROOT, "%s %.2f s", p.getKey(), p.getValue())).collect(Collectors.joining(", "));
            text += String.format(Locale.ROOT, "  slowest cell %s: %.2f s, most in %s%n", slowest.cellId(), slowest.seconds(), largest);
        }
        return text;
    }
}
