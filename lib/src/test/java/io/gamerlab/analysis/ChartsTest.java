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
}
