package io.gamerlab.analysis;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
