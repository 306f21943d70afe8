package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.Column;
import io.gamerlab.measure.RunTable;
import io.gamerlab.measure.SampleProvenance;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class DatasetTest {

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Table cell(String id) {
        return SampleRuns.result(id, "host").table();
    }

    private static Table failure(String id, String reason) {
        return Run.failedCell(SampleProvenance.of(id, "baseline", "guest-tcg"), reason);
    }

    @Test
    void addingACellWritesItsCsvUnderItsIdAndLeavesNoOtherFile(@TempDir Path tmp) throws IOException {
        Dataset dataset = new Dataset(tmp.resolve("runs"));  // created on first add
        Path file = dataset.add(cell("run-a"));
        assertEquals(tmp.resolve("runs/run-a.csv"), file);
        assertEquals(List.of("run-a.csv"), fileNames(dataset.dir()));
        assertEquals(cell("run-a").rowCount(), DatasetFile.read(file).rowCount());
        assertEquals(Set.of("run-a"), dataset.cells());
    }

    @Test
    void theTableConcatenatesEveryStoredCell(@TempDir Path dir) throws IOException {
        Dataset dataset = new Dataset(dir);
        dataset.add(SampleRuns.result("run-a", "host").table());
        dataset.add(SampleRuns.result("run-b", "guest-tcg").table());
        Table all = dataset.table();
        assertEquals(2 * cell("x").rowCount(), all.rowCount());
        assertEquals(Column.NAMES, all.columnNames());
        assertEquals(Set.of("run-a", "run-b"), all.stringColumn("cell_id").asSet());
        assertEquals(Set.of("host", "guest-tcg"), all.stringColumn("backend").asSet());
        assertEquals(dir.getFileName().toString(), all.name());
        assertEquals(2, all.stringColumn("status").asList().stream().filter("unsupported"::equals).count());
    }

    @Test
    void filesOtherThanCsvHiddenAndTemporaryFilesAreNotCells(@TempDir Path dir) throws IOException {
        Dataset dataset = new Dataset(dir);
        dataset.add(cell("run-a"));
        Files.writeString(dir.resolve("run-a.png"), "not a table");
        Files.writeString(dir.resolve(".run-z.csv.123.1.tmp"), "half a table");
        Files.writeString(dir.resolve(".hidden.csv"), "half a table");
        assertEquals(Set.of("run-a"), dataset.table().stringColumn("cell_id").asSet());
        assertEquals(Set.of("run-a"), dataset.cells());
    }

    @Test
    void anEmptyDatasetSaysItHoldsNoCells(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> new Dataset(dir).table());
        assertTrue(e.getMessage().contains("holds no cells"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void aCellIsNeverReplaced(@TempDir Path dir) throws IOException {
        Dataset dataset = new Dataset(dir);
        Path file = dataset.add(cell("run-a"));
        byte[] before = Files.readAllBytes(file);
        Table other = SampleRuns.result("run-a", "guest-tcg").table();
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> dataset.add(other));
        assertTrue(e.getMessage().contains("never replaced"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("run-a.csv"), fileNames(dir));
    }

    @Test
    void failuresAreKeptApartFromResultsEveryAttemptInItsOwnFile(@TempDir Path dir) throws IOException {
        Dataset dataset = new Dataset(dir);
        dataset.add(cell("run-a"));
        dataset.addFailure(failure("run-b", "the verifier rejected it"));
        dataset.addFailure(failure("run-b", "ejected: runnable task stall"));
        assertEquals(Set.of("run-a"), dataset.cells());
        assertEquals(Set.of("run-a"), dataset.table().stringColumn("cell_id").asSet());
        assertEquals(List.of("run-b.1.csv", "run-b.2.csv"), fileNames(dir.resolve(Dataset.FAILED)));
        assertEquals(Map.of("run-b", "ejected: runnable task stall"), dataset.failures());
        Table failed = dataset.failuresTable();
        assertEquals(Set.of(Column.Status.FAILED), failed.stringColumn("status").asSet());
    }

    @Test
    void theRowsOfACellCarryOneCellId(@TempDir Path dir) {
        Table mixed = cell("run-a");
        mixed.append(cell("run-b"));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(dir).add(mixed));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(dir).add(RunTable.emptyTable("none")));
    }

    @Test
    void oneWriterAtATimeAndTheLockClearsWhatAKilledWriterLeft(@TempDir Path dir) throws IOException {
        Dataset dataset = new Dataset(dir);
        Files.createDirectories(dir.resolve(Dataset.FAILED));
        Files.writeString(dir.resolve(".c0001-ab.csv.999.1.tmp"), "half");
        Files.writeString(dir.resolve(Dataset.FAILED).resolve(".c0002-cd.1.csv.999.2.tmp"), "half");
        try (Dataset.Lock lock = dataset.lock()) {
            assertEquals(List.of(".lock"), fileNames(dir).stream().filter(n -> n.startsWith(".")).toList());
            assertEquals(List.of(), fileNames(dir.resolve(Dataset.FAILED)));
            InvalidInputException e = assertThrows(InvalidInputException.class, dataset::lock);
            assertTrue(e.getMessage().contains("another gamerlab process"), e.getMessage());
        }
        dataset.lock().close();  // free again
    }

    @Test
    void aFileOfTheOlderSchemaIsRefusedAsOlder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("old.csv"), "run_id,backend,clock,kernel,cpu_model,variant,git_commit,started_at,workload,source,"
                + "metric,unit,value,status,note\nr,host,host,6.1,cpu,baseline,abc,2025-01-01T00:00:00Z,w,perf,cycles,count,1,ok,\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new Dataset(dir).table());
        assertTrue(e.getMessage().contains("schema version 1"), e.getMessage());
        assertTrue(e.getMessage().contains("old.csv line 1"), e.getMessage());
    }
}
