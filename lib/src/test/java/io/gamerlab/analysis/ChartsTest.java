package io.gamerlab.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.measure.SampleProvenance;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import tech.tablesaw.api.Table;

class ChartsTest {

    private static Table run(String runId, String variant, String backend, long enqueued, long dispatched) {
        Provenance p = SampleProvenance.of(runId, variant, backend);
        return new RunTable(p)
                .addSchedulerStatistics(Map.of("enqueued", enqueued, "dispatched", dispatched, "wait_ns", 999L))
                .add("workload", "frames", "count", 60)
                .addUnsupported("scheduler", "never_counted", "count", "not in this build")
                .table();
    }

    /** Two runs of one variant on the host and one in the guest. */
    private static Table runs() {
        Table all = run("a", "baseline", "host", 10, 20);
        all.append(run("b", "baseline", "host", 30, 40));
        all.append(run("c", "baseline", "guest-tcg", 5, 6));
        return all.setName("sample");
    }

    @Test
    void thereIsOneSeriesPerVariantAndBackend() {
        CategoryChart chart = Charts.metrics(runs(), "scheduler", "count", "what the scheduler did");
        Set<String> names = new HashSet<>();
        chart.getSeriesCollection().forEach(series -> names.add(series.getName()));
        assertEquals(Set.of("baseline @ host", "baseline @ guest-tcg"), names);
        assertEquals(2, chart.getSeriesCollection().size());
        assertEquals("what the scheduler did", chart.getTitle());
        assertEquals("count", chart.getYAxisTitle());
    }

    @Test
    void eachBarIsTheMeanOverRunsOfOnlyOkRowsInTheUnit() {
        CategorySeries host = Charts.metrics(runs(), "scheduler", "count", "t").getSeries("baseline @ host");
        List<?> metrics = List.copyOf(host.getXData());
        double[] values = host.getYData();
        assertEquals(Set.of("enqueued", "dispatched"), new HashSet<>(metrics));  // not wait_ns (ns), not never_counted
        assertEquals(20.0, values[metrics.indexOf("enqueued")]);
        assertEquals(30.0, values[metrics.indexOf("dispatched")]);
    }

    @Test
    void noMatchingRowsIsAnErrorNamingWhatWasAskedFor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.metrics(runs(), "perf", "count", "t"));
        assertTrue(e.getMessage().contains("perf"), e.getMessage());
        assertTrue(e.getMessage().contains("sample"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Charts.metrics(runs(), "scheduler", "ms", "t"));
    }

    @Test
    void theChartRendersToANonBlankImage() {
        BufferedImage image = Charts.image(Charts.metrics(runs(), "scheduler", "count", "t"));
        assertEquals(900, image.getWidth());
        assertEquals(500, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 5)
            for (int x = 0; x < image.getWidth(); x += 5) colours.add(image.getRGB(x, y));
        assertTrue(colours.size() > 2, "only " + colours.size() + " colours drawn");
    }

    @Test
    void savePngWritesAPngFileWhereAsked(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("charts/nested/scheduler.png");
        Path written = Charts.savePng(Charts.metrics(runs(), "scheduler", "count", "t"), file);
        assertEquals(file, written);
        try (InputStream in = Files.newInputStream(file)) {
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, in.readNBytes(8));
        }
    }

    /** A game-loop run's rows: its probes' lateness, and under a scheduler of ours its per-role wait statistics. */
    private static Table gameLoop(String runId, String variant, double inputP50, double otherP50) {
        RunTable t = new RunTable(SampleProvenance.of(runId, variant, "guest-tcg"));
        for (String probe : List.of("probe_input_lateness", "input_lateness", "probe_other_lateness")) {
            double p50 = probe.equals("probe_other_lateness") ? otherP50 : inputP50;
            t.add("workload", probe + "_p50", "us", p50).add("workload", probe + "_p99", "us", p50 * 10);
        }
        if (!variant.equals("kernel-default"))
            t.addSchedulerStatistics(Map.of("input_wait_ns", 4_000_000L, "input_waits", 1000L, "max_input_wait_ns", 90_000L,
                    "game_wait_ns", 9_000_000L, "game_waits", 600L, "max_game_wait_ns", 400_000L,
                    "other_wait_ns", 80_000_000L, "other_waits", 800L, "max_other_wait_ns", 20_000_000L));
        return t.table();
    }

    @Test
    void theQuickstartChartsShowTheWaitPerRoleOfOursAgainstKernelDefaultWithEveryBarLabelled(@TempDir Path dir) throws IOException {
        Table both = gameLoop("a", "baseline", 40, 3000);
        both.append(gameLoop("b", "kernel-default", 900, 2500));
        both.setName("quickstart");
        CategoryChart workload = Charts.wakeUpByRole(both, "wake-up per role");
        assertEquals(Set.of("baseline", "kernel-default"), names(workload));
        assertEquals(List.of("input handler p50", "input handler p99", "input reader p50", "input reader p99", "no role p50", "no role p99"),
                List.copyOf(workload.getSeries("kernel-default").getXData()));
        assertArrayEquals(new double[] {900, 9000, 900, 9000, 2500, 25000}, workload.getSeries("kernel-default").getYData());
        CategoryChart scheduler = Charts.schedulerWaitsByRole(both, "scheduler per role");
        assertEquals(Set.of("baseline"), names(scheduler), "kernel-default has no scheduler statistics");
        assertArrayEquals(new double[] {4, 90, 15, 400, 100, 20000}, scheduler.getSeries("baseline").getYData(), 1e-9);
        for (CategoryChart c : List.of(workload, scheduler)) {
            assertTrue(c.getStyler().isLabelsVisible(), "bars without value labels");
            assertTrue(c.getStyler().getYAxisDecimalPattern().endsWith("' us'"), "labels without their unit: " + c.getStyler().getYAxisDecimalPattern());
        }
        Path png = Charts.savePng(Charts.stacked(List.of(workload, scheduler)), dir.resolve("q.png"));
        BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(2 * 560, image.getHeight());
        if (System.getenv("GAMERLAB_KEEP_CHART") != null) Files.copy(png, Path.of(System.getenv("GAMERLAB_KEEP_CHART")));
    }

    private static Set<String> names(CategoryChart chart) {
        Set<String> names = new HashSet<>();
        chart.getSeriesCollection().forEach(series -> names.add(series.getName()));
        return names;
    }
}
