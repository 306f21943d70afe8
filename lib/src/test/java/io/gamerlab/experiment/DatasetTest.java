package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.RunTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void addingARunWritesItsCsvUnderItsRunIdAndLeavesNoPartialFile(@TempDir Path tmp) throws IOException {
        Dataset dataset = new Dataset(tmp.resolve("runs"));  // created on first add
        Path file = dataset.add(SampleRuns.result("run-a", "host"));
        assertEquals(tmp.resolve("runs/run-a.csv"), file);
        assertEquals(List.of("run-a.csv"), fileNames(dataset.dir()));
        assertEquals(SampleRuns.result("run-a", "host").table().rowCount(), RunResultFiles.readTable(file).rowCount());
    }

    @Test
    void theTableConcatenatesEveryStoredRun(@TempDir Path dir) throws IOException {
        Dataset dataset = new Dataset(dir);
        dataset.add(SampleRuns.result("run-a", "host"));
        dataset.add(SampleRuns.result("run-b", "guest-tcg"));
        Table all = dataset.table();
        int perRun = SampleRuns.result("x", "host").table().rowCount();
        assertEquals(2 * perRun, all.rowCount());
        assertEquals(RunTable.COLUMNS, all.columnNames());
        assertEquals(Set.of("run-a", "run-b"), all.stringColumn("run_id").asSet());
        assertEquals(Set.of("host", "guest-tcg"), all.stringColumn("backend").asSet());
        assertEquals(dir.getFileName().toString(), all.name());
        long unsupported = all.stringColumn("status").asList().stream().filter("unsupported"::equals).count();
        assertEquals(2, unsupported);
    }

    @Test
    void filesOtherThanCsvAreNotRuns(@TempDir Path dir) throws IOException {
        Dataset dataset = new Dataset(dir);
        dataset.add(SampleRuns.result("run-a", "host"));
        Files.writeString(dir.resolve("run-a.png"), "not a table");
        Files.writeString(dir.resolve(".run-z.csv.partial"), "half a table");
        assertEquals(Set.of("run-a"), dataset.table().stringColumn("run_id").asSet());
    }

    @Test
    void anEmptyDatasetSaysItHoldsNoRuns(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> new Dataset(dir).table());
        assertTrue(e.getMessage().contains("holds no runs"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void aRunAddedTwiceIsStoredOnce(@TempDir Path dir) throws IOException {
        Dataset dataset = new Dataset(dir);
        dataset.add(SampleRuns.result("run-a", "host"));
        dataset.add(SampleRuns.result("run-a", "host"));
        assertEquals(List.of("run-a.csv"), fileNames(dir));
        assertEquals(SampleRuns.result("run-a", "host").table().rowCount(), dataset.table().rowCount());
        assertEquals(Set.of("run-a"), dataset.table().stringColumn("run_id").asSet());
    }
}
