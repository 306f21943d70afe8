package io.gamerlab.bench.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.experiment.Dataset;
import io.gamerlab.measure.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;

/** What every host bench's finished run directory holds, read back through lib's dataset reader (which checks the schema). */
public final class BenchDatasets {

    private BenchDatasets() {
    }

    /**
     * The run in {@code dir} is complete: its settings, one cell per planned trial, its summary
     * (ending with {@code run/completed}), no temporary file; every row carries the host's
     * provenance and {@code seed}; every trial row the hash of the BPF object it loaded (when
     * {@code loadsObjects}). Returns every row.
     */
    public static Table assertComplete(Path dir, int trials, long seed, boolean loadsObjects) throws IOException {
        Dataset dataset = new Dataset(dir);
        Set<String> cells = dataset.cells();
        assertTrue(cells.contains(BenchRun.SETTINGS) && cells.contains(BenchRun.SUMMARY), "settings and summary cells: " + cells);
        assertEquals(trials + 2, cells.size(), "one cell per trial: " + cells);
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock")).toList();
            assertTrue(names.stream().allMatch(n -> n.endsWith(".csv") && !n.startsWith(".")), "only cells, no temporary file: " + names);
        }
        Table rows = dataset.table();
        for (int i = 0; i < rows.rowCount(); i++) {
            int row = i;
            java.util.function.Function<Column, String> cell = c -> rows.column(c.label()).isMissing(row) ? "" : rows.column(c.label()).getString(row);
            String where = cell.apply(Column.CELL_ID) + " " + cell.apply(Column.SOURCE) + "." + cell.apply(Column.METRIC);
            assertEquals(BenchRun.BACKEND, cell.apply(Column.BACKEND), where);
            assertEquals(BenchRun.CLOCK, cell.apply(Column.CLOCK), where);
            assertEquals(Long.toString(seed), cell.apply(Column.SEED), where);
            for (Column c : List.of(Column.KERNEL, Column.CPU_MODEL, Column.CPU_COUNT, Column.GIT_COMMIT, Column.JDK, Column.LIBBPF, Column.NODE,
                    Column.STARTED_AT, Column.VARIANT, Column.WORKLOAD))
                assertFalse(cell.apply(c).isEmpty(), where + ": " + c.label());
            boolean trial = cell.apply(Column.CELL_ID).startsWith("t");
            if (trial && loadsObjects) assertTrue(cell.apply(Column.BPF_SHA256).matches("[0-9a-f]{64}"), where + ": the object's hash");
        }
        Table completed = rows.where(rows.stringColumn(Column.CELL_ID.label()).isEqualTo(BenchRun.SUMMARY)
                .and(rows.stringColumn(Column.METRIC.label()).isEqualTo(BenchRun.COMPLETED)));
        assertEquals(1, completed.rowCount(), "the summary says the run ended");
        return rows;
    }
}
