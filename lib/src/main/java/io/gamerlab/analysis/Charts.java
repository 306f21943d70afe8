package io.gamerlab.analysis;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/** Charts drawn from run tables (the {@link io.gamerlab.measure.RunTable} schema). */
public final class Charts {

    private Charts() { }

    /**
     * One bar per metric of {@code source} measured in {@code unit}, one series per
     * variant-and-backend, so a chart never mixes units nor hides where a number came from.
     */
    public static CategoryChart metrics(Table runs, String source, String unit, String title) {
        Table rows = runs.where(runs.stringColumn("source").isEqualTo(source)
                .and(runs.stringColumn("unit").isEqualTo(unit))
                .and(runs.stringColumn("status").isEqualTo("ok")));
        if (rows.isEmpty())
            throw new IllegalArgumentException("no " + source + " metrics in " + unit + " in table " + runs.name());
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("metric").yAxisTitle(unit).build();
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLegendVisible(true);
        for (Table series : rows.splitOn("variant", "backend").asTableList()) {
            String label = series.stringColumn("variant").get(0) + " @ " + series.stringColumn("backend").get(0);
            Table means = series.summarize("value", tech.tablesaw.aggregate.AggregateFunctions.mean).by("metric");
            List<String> metrics = means.stringColumn("metric").asList();
            List<Double> values = means.doubleColumn(1).asList();
            chart.addSeries(label, metrics, values);
        }
        return chart;
    }

    /**
     * Bars of {@code valueColumn} (a number column) over the categories in {@code categoryColumn},
     * one series per distinct value of {@code seriesColumn}; categories keep their first-seen order.
     */
    public static CategoryChart bars(Table rows, String categoryColumn, String seriesColumn, String valueColumn,
                                     String title, String yTitle) {
        if (rows.isEmpty()) throw new IllegalArgumentException("nothing to chart for '" + title + "': the table is empty");
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title)
                .xAxisTitle(categoryColumn).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(true);
        List<String> categories = List.copyOf(new java.util.LinkedHashSet<>(rows.column(categoryColumn).asStringColumn().asList()));
        for (Table series : rows.splitOn(seriesColumn).asTableList()) {
            List<Double> values = new java.util.ArrayList<>();
            for (String category : categories) {
                Table cell = series.where(series.column(categoryColumn).asStringColumn().isEqualTo(category));
                // XChart needs a value per category: a category this series lacks shows as no bar.
                values.add(cell.isEmpty() ? 0.0 : cell.numberColumn(valueColumn).getDouble(0));
            }
            chart.addSeries(seriesColumn + "=" + series.column(seriesColumn).getString(0), categories, values);
        }
        return chart;
    }

    /**
     * The game loop's roles, as its own threads measured their wake-ups (timer deadline to
     * running, in microseconds; p50 and p99): the timer declared an input handler, the thread
     * reading input, and the timer with no role. Every variant has them, {@code kernel-default}
     * included, so they compare our scheduler with the kernel's own. One series per variant,
     * every bar labelled with its value and unit.
     */
    public static CategoryChart wakeUpByRole(Table runs, String title) {
        Table workload = runs.where(runs.stringColumn("source").isEqualTo("workload").and(runs.stringColumn("status").isEqualTo("ok")));
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("probe_input_lateness", "input handler");
        roles.put("input_lateness", "input reader");
        roles.put("probe_other_lateness", "no role");
        Map<String, Map<String, Double>> bySeries = new LinkedHashMap<>();
        for (Table series : workload.splitOn("variant").asTableList()) {
            Map<String, Double> values = new LinkedHashMap<>();
            roles.forEach((metric, role) -> {
                for (String p : List.of("p50", "p99")) {
                    Table row = series.where(series.stringColumn("metric").isEqualTo(metric + "_" + p)
                            .and(series.stringColumn("unit").isEqualTo("us")));
                    if (!row.isEmpty()) values.put(role + " " + p, row.doubleColumn("value").mean());
                }
            });
            if (!values.isEmpty()) bySeries.put(series.stringColumn("variant").get(0), values);
        }
        if (bySeries.isEmpty()) throw new IllegalArgumentException("no game-loop wake-up latencies (probe_input_lateness_p50, ...) in table " + runs.name());
        return labelledBars(title, "role, percentile", "us", bySeries);
    }

    /**
     * The scheduler's own count of the wait from wake-up to running per role (input handlers,
     * the foreground game's threads, threads with no role), the mean over all wake-ups and the
     * longest, in microseconds: one series per variant that ran a scheduler of ours
     * ({@code kernel-default} has no such statistics), every bar labelled with value and unit.
     */
    public static CategoryChart schedulerWaitsByRole(Table runs, String title) {
        Table statistics = runs.where(runs.stringColumn("source").isEqualTo("scheduler").and(runs.stringColumn("status").isEqualTo("ok")));
        Map<String, Map<String, Double>> bySeries = new LinkedHashMap<>();
        for (Table series : statistics.splitOn("variant").asTableList()) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (String role : List.of("input", "game", "other")) {
                double waited = sum(series, role + "_wait_ns");
                double waits = sum(series, role + "_waits");
                if (waits > 0) values.put(role + " mean", waited / waits / 1e3);
                if (waits > 0) values.put(role + " longest", max(series, "max_" + role + "_wait_ns") / 1e3);
            }
            if (!values.isEmpty()) bySeries.put(series.stringColumn("variant").get(0), values);
        }
        if (bySeries.isEmpty()) throw new IllegalArgumentException("no scheduler wait statistics (input_wait_ns, input_waits, ...) in table " + runs.name());
        return labelledBars(title, "role", "us", bySeries);
    }

    private static double sum(Table rows, String metric) {
        Table r = rows.where(rows.stringColumn("metric").isEqualTo(metric));
        return r.isEmpty() ? 0 : r.doubleColumn("value").sum();
    }

    private static double max(Table rows, String metric) {
        Table r = rows.where(rows.stringColumn("metric").isEqualTo(metric));
        return r.isEmpty() ? Double.NaN : r.doubleColumn("value").max();
    }

    /** Bars per category, one series per key of {@code bySeries}, each labelled with its value and {@code unit}. */
    private static CategoryChart labelledBars(String title, String xTitle, String unit, Map<String, Map<String, Double>> bySeries) {
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(560).title(title).xAxisTitle(xTitle)
                .yAxisTitle(unit).build();
        chart.getStyler().setLegendVisible(true);
        // Below the plot: a variant's full label is long, and beside the plot it would squeeze it.
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        // Waits span orders of magnitude (a boosted input handler's against an unboosted thread's tail):
        // on a log scale every bar is tall enough to carry its label (if every value can be drawn on one).
        double smallest = bySeries.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue).min().orElse(0);
        if (smallest > 0) {
            chart.getStyler().setYAxisLogarithmic(true);
            // A decade below the smallest value, so its bar is tall enough for its label too.
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest)) - 1));
        }
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsRotation(90);
        chart.getStyler().setLabelsPosition(0.5);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setXAxisMaxLabelCount(Integer.MAX_VALUE);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#' " + unit + "'");
        List<String> categories = List.copyOf(bySeries.values().stream().flatMap(m -> m.keySet().stream())
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)));
        bySeries.forEach((name, values) -> {
            // XChart takes a null for a category the series lacks: no bar and no label, never a made-up 0.
            List<Double> ys = categories.stream().map(values::get).toList();
            chart.addSeries(name, categories, ys);
        });
        return chart;
    }

    /**
     * The quickstart's figure: the wake-up-to-running wait per role as the game loop measured it,
     * over the same as our scheduler counted it, for the runs in {@code runs} (ours and the
     * kernel's own) on {@code backend}.
     */
    public static BufferedImage quickstart(Table runs, String backend) {
        return stacked(List.of(
                wakeUpByRole(runs, "Wake-up to running per role, as the game loop measured it (" + backend + ")"),
                schedulerWaitsByRole(runs, "Wake-up to running per role, as our scheduler counted it (none under kernel-default)")));
    }

    /** Charts one under another, as one image: e.g. what the workload measured over what the scheduler counted. */
    public static BufferedImage stacked(List<? extends Chart<?, ?>> charts) {
        List<BufferedImage> images = charts.stream().map(Charts::image).toList();
        int width = images.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow();
        int height = images.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = all.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        int y = 0;
        for (BufferedImage image : images) {
            g.drawImage(image, 0, y, null);
            y += image.getHeight();
        }
        g.dispose();
        return all;
    }

    public static Path savePng(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        javax.imageio.ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** The chart as an image, e.g. for a notebook's {@code display(...)}. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    public static Path savePng(Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // To a stream: given a name, XChart appends ".png" and the returned path would not exist.
        try (var out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }
}
