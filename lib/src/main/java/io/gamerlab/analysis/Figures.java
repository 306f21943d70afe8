package io.gamerlab.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of notebooks and papers, each with its axes and units labelled: box plots of
 * repetitions per configuration, curves of means with their 95 % bootstrap intervals drawn as
 * whiskers, and an effect plot of measured effects with intervals against the claimed range.
 */
public final class Figures {

    /** A chart and what it shows, in words; {@code name} is its file name in papers/ (without .png). */
    public record Figure(String name, String caption, Chart<?, ?> chart) { }

    static final int WIDTH = 800, HEIGHT = 450;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    private Figures() { }

    /** One box per configuration (label), over its repetitions; the y axis in {@code unit}. */
    public static BoxChart boxes(String title, String yTitle, Map<String, Sample> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("nothing to plot for '" + title + "'");
        BoxChart chart = new BoxChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("configuration (one box per configuration, over its repetitions)").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setXAxisLabelRotation(samples.size() > 3 ? 15 : 0);
        samples.forEach((label, s) -> chart.addSeries(label, s.values()));
        return chart;
    }

    /**
     * Means against a numeric x, one line per series, each point with its 95 % bootstrap interval
     * of the mean as a whisker.
     */
    public static XYChart curves(String title, String xTitle, String yTitle, Map<String, Map<Double, Sample>> series, Bootstrap bootstrap) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        int i = 0;
        for (Map.Entry<String, Map<Double, Sample>> e : series.entrySet()) {
            Color color = PALETTE[i++ % PALETTE.length];
            List<Double> xs = List.copyOf(e.getValue().keySet());
            List<Double> means = xs.stream().map(x -> e.getValue().get(x).mean()).toList();
            XYSeries line = chart.addSeries(e.getKey() + " (mean, 95 % CI)", xs, means);
            line.setLineColor(color);
            line.setMarkerColor(color);
            line.setMarker(SeriesMarkers.CIRCLE);
            for (Double x : xs) {
                Interval ci = bootstrap.meanInterval(e.getValue().get(x), Effect.LEVEL);
                XYSeries whisker = chart.addSeries(e.getKey() + " CI at " + x, List.of(x, x), List.of(ci.low(), ci.high()));
                whisker.setLineColor(color);
                whisker.setMarker(SeriesMarkers.NONE);
                whisker.setShowInLegend(false);
            }
        }
        return chart;
    }

    /**
     * The measured verdicts of a claim in groups whose effects are of one magnitude (within 10x of
     * each other and of the claimed maximum), so that one far beyond the claim does not flatten
     * the others: one {@link #effects} chart per group.
     */
    public static List<List<Verdict>> sameScale(Claim claim, List<Verdict> verdicts) {
        List<List<Verdict>> groups = new java.util.ArrayList<>();
        double claimed = Math.abs(claim.effect().max());
        for (Verdict v : verdicts) {
            if (v.effect().isEmpty()) continue;
            double size = Math.max(claimed, Math.abs(v.effect().get().estimate()));
            List<Verdict> home = groups.stream().filter(g -> {
                double other = Math.max(claimed, Math.abs(g.getFirst().effect().orElseThrow().estimate()));
                return Math.max(size, other) <= 10 * Math.min(size, other);
            }).findFirst().orElse(null);
            if (home == null) groups.add(home = new java.util.ArrayList<>());
            home.add(v);
        }
        return groups;
    }

    /**
     * The measured effects of one claim's measures (estimate and 95 % interval, one row each)
     * against the claimed range (dashed lines at its minimum and maximum) and no effect (grey).
     */
    public static XYChart effects(Claim claim, List<Verdict> verdicts) {
        List<Verdict> measured = verdicts.stream().filter(v -> v.effect().isPresent()).toList();
        if (measured.isEmpty()) throw new IllegalArgumentException("claim " + claim.id() + " has no measured effect to plot");
        ClaimedEffect claimed = claim.effect();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(140 + 60 * measured.size())
                .title("claim " + claim.id() + ": measured effect and 95 % CI vs claimed " + Digits.range(claimed.min(), claimed.max(), claimed.unit()))
                .xAxisTitle(claimed.kind().key() + " (" + claimed.unit() + ")").yAxisTitle("measure").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisDecimalPattern("#,##0.###");
        chart.getStyler().setYAxisTicksVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        double top = measured.size() + 0.5;
        reference(chart, "claimed min and max", List.of(claimed.min(), claimed.max()), top, Color.DARK_GRAY, true);
        reference(chart, "no effect", List.of(claimed.kind().neutral()), top, Color.LIGHT_GRAY, false);
        for (int i = 0; i < measured.size(); i++) {
            Verdict v = measured.get(i);
            Effect e = v.effect().orElseThrow();
            double y = measured.size() - i;
            Color color = PALETTE[i % PALETTE.length];
            XYSeries ci = chart.addSeries(v.measure().id() + ": " + Digits.withInterval(e.estimate(), e.interval(), e.unit()) + ", n = "
                    + e.control().n() + "/" + e.variant().n(), List.of(e.interval().low(), e.interval().high()), List.of(y, y));
            ci.setLineColor(color);
            ci.setLineWidth(3);
            ci.setMarker(SeriesMarkers.NONE);
            XYSeries point = chart.addSeries(v.measure().id() + " estimate", List.of(e.estimate()), List.of(y));
            point.setMarker(SeriesMarkers.DIAMOND);
            point.setMarkerColor(color);
            point.setShowInLegend(false);
            point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(top + 0.5);
        return chart;
    }

    private static void reference(XYChart chart, String name, List<Double> xs, double top, Color color, boolean dashed) {
        boolean first = true;
        for (double x : xs) {
            XYSeries line = chart.addSeries(name + (first ? "" : " " + x), List.of(x, x), List.of(0.0, top + 0.5));
            line.setLineColor(color);
            line.setMarker(SeriesMarkers.NONE);
            line.setShowInLegend(first);
            if (dashed) line.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            first = false;
        }
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setSeriesColors(PALETTE);
        styler.setAntiAlias(true);
    }
}
