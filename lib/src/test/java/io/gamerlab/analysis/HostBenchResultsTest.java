package io.gamerlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.Table;

class HostBenchResultsTest {

    private static final String PARAMS = "consumer=libbpf,producers=2,notify=1";

    @Test
    void meansPerRunAndConfigCarryTheAxesOfTheVariantText(@TempDir Path dir) throws IOException {
        Cells.hostRun(dir.resolve("r1"), "old", "2026-11-26T00:00:00Z")
                .row("ringbuf=shared,batch=1,prefetch=off", PARAMS, 0, "bpf", "ns_per_run", "ns", 300, "ok")
                .row("ringbuf=shared,batch=1,prefetch=off", PARAMS, 1, "bpf", "ns_per_run", "ns", 500, "ok")
                .row("ringbuf=shared,batch=8,prefetch=off", PARAMS, 0, "bpf", "ns_per_run", "ns", 800, "ok")
                .row("ringbuf=shared,batch=8,prefetch=off", PARAMS, 1, "bpf", "ns_per_run", "ns", 9999, "failed").write();
        Cells.hostRun(dir.resolve("r2"), "new", "2026-11-27T00:00:00Z")
                .row("ringbuf=shared,batch=8,prefetch=off", PARAMS, 0, "bpf", "ns_per_run", "ns", 350, "ok")
                .row("ringbuf=shared,batch=8,prefetch=off", PARAMS, 0, "bpf", "drops", "count", 7, "ok").write();
        Files.writeString(dir.resolve("notes.txt"), "not a dataset");

        Table rows = HostBenchResults.load(dir);
        assertEquals(6, rows.rowCount(), "both runs' cells, nothing else");
        Table means = HostBenchResults.means(rows, "bpf", "ns_per_run");
        assertEquals(3, means.rowCount(), "one row per run and configuration");
        Table batch1 = means.where(means.stringColumn("batch").isEqualTo("1"));
        assertEquals(400, batch1.numberColumn("Mean [value]").getDouble(0), 1e-9);
        assertEquals(2, batch1.numberColumn("Count [value]").getDouble(0), 1e-9);
        Table oldBatch8 = means.where(means.stringColumn("batch").isEqualTo("8").and(means.stringColumn("git_commit").isEqualTo("old")));
        assertEquals(800, oldBatch8.numberColumn("Mean [value]").getDouble(0), 1e-9, "a failed trial is left out");
        assertTrue(means.stringColumn("ringbuf").asList().stream().allMatch("shared"::equals));
        assertTrue(!means.columnNames().contains("taskctx"), "only the axes the variant text names");

        Table batching = HostBenchResults.compare(means, "batch", "1", "8");
        assertEquals(1, batching.rowCount(), "only run r1 has both batch sizes");
        assertEquals(2.0, batching.numberColumn("ratio").getDouble(0), 1e-9, "800 / 400");
        assertEquals("ringbuf=shared,prefetch=off", batching.stringColumn("other_axes").get(0));
        assertThrows(IllegalArgumentException.class, () -> HostBenchResults.compare(means, "taskctx", "packed", "split"));

        CategoryChart chart = Charts.bars(means.where(means.stringColumn("batch").isIn("1", "8")),
                "batch", "git_commit", "Mean [value]", "BPF ns per run", "ns");
        assertEquals(2, chart.getSeriesCollection().size(), "one series per commit");
        assertEquals(List.of("1", "8"), List.copyOf(chart.getSeriesCollection().iterator().next().getXData()),
                "categories in the table's order");
    }

    @Test
    void aDirectoryWithoutDatasetsOrAMetricWithoutRowsIsAClearError(@TempDir Path dir) throws IOException {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> HostBenchResults.load(dir));
        assertTrue(none.getMessage().contains("no bench dataset"), none.getMessage());
        Cells.hostRun(dir.resolve("r1"), "c", "2026-11-26T00:00:00Z").row("ringbuf=shared,batch=1,prefetch=off", PARAMS, 0, "bpf", "ns_per_run", "ns", 1, "ok")
                .write();
        IllegalArgumentException metric = assertThrows(IllegalArgumentException.class,
                () -> HostBenchResults.means(HostBenchResults.load(dir), "bpf", "nonsense"));
        assertTrue(metric.getMessage().contains("bpf.nonsense"), metric.getMessage());
    }

    @Test
    void theTaskContextBenchsDatasetHasItsOwnConfigurationColumns() {
        Table means = HostBenchResults.means(HostBenchResults.load(Path.of("..", "datasets", "taskctx")), "bpf.writer", "work_ns_per_call");
        assertTrue(means.columnNames().containsAll(List.of("variant", "threads", "taskctx")), means.columnNames().toString());
        Table side = HostBenchResults.compare(means, "taskctx", "split", "packed");
        assertTrue(side.columnNames().contains("threads") && !side.columnNames().contains("consumer"), side.columnNames().toString());
        assertTrue(side.rowCount() >= 2, "writer+reader and writer-alone, per run");
        assertTrue(!means.stringColumn("threads").asList().contains("reader-alone"), "the writer did not run there: no row");
    }

    @Test
    void aCsvThatIsNotABenchDatasetIsRefusedNamingItsColumns(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("x.csv"), List.of("a,b,value", "1,2,3"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> HostBenchResults.load(dir));
        assertTrue(e.getMessage().contains("x.csv line 1") && e.getMessage().contains("not a gamerlab dataset"), e.getMessage());
    }

    @Test
    void theCommittedDatasetsLoad() {
        Path committed = Path.of("..", "datasets", "ringbuf");
        Table means = HostBenchResults.means(HostBenchResults.load(committed), "bpf", "ns_per_run");
        assertTrue(means.stringColumn("git_commit").unique().size() >= 2, "runs from before and after the flush-timer fix");
        assertTrue(means.stringColumn("batch").asList().containsAll(List.of("1", "4", "8", "16")));
    }
}
