package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

class RunResultFilesTest {

    @Test
    void aResultWrittenAndReadBackKeepsEveryRowAndTheKernelsReport(@TempDir Path dir) throws IOException {
        RunResult original = SampleRuns.result("run-a", "guest-tcg");
        RunResultFiles.write(original, dir.resolve("results"));
        RunResult back = RunResultFiles.read(dir.resolve("results"));

        Table t = back.table();
        assertEquals(Column.NAMES, t.columnNames());
        assertEquals(original.table().rowCount(), t.rowCount());
        for (int row = 0; row < t.rowCount(); row++) {
            for (String column : Column.NAMES) {
                assertEquals(original.table().column(column).getString(row), t.column(column).getString(row),
                        column + " of row " + row);
            }
        }
        assertEquals(original.table().doubleColumn("value").asList(), t.doubleColumn("value").asList());
        assertEquals("enabled", back.stateDuring());
        assertEquals("gamer", back.opsDuring());
        assertEquals("disabled", back.stateAfter());
        assertEquals(64, back.exitKind());
        assertEquals("unregistered from user space", back.exitReason());
    }

    @Test
    void anUnsupportedRowStaysWithoutAValue(@TempDir Path dir) throws IOException {
        RunResultFiles.write(SampleRuns.result("run-a", "host"), dir);
        Table t = RunResultFiles.read(dir).table();
        int row = t.stringColumn("metric").indexOf("cycles");
        assertTrue(Double.isNaN(t.doubleColumn("value").getDouble(row)));
        assertEquals("unsupported", t.stringColumn("status").get(row));
        assertEquals("ENOENT (No such file or directory): no PMU, \"quoted\"", t.stringColumn("note").get(row));
    }

    @Test
    void readingFixesTheColumnTypesRatherThanGuessing(@TempDir Path dir) throws IOException {
        RunResultFiles.write(SampleRuns.result("123", "host"), dir);  // a numeric cell id and commit stay strings
        Table t = DatasetFile.read(dir.resolve(RunResultFiles.TABLE));
        for (Column column : Column.values()) assertEquals(column.type(), t.column(column.label()).type(), column.label());
        assertEquals("123", t.stringColumn("cell_id").get(0));
        assertEquals(ColumnType.DOUBLE, t.column("value").type());
    }

    @Test
    void readingADirectoryWithoutAResultSaysWhichFilesAreExpected(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> RunResultFiles.read(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("table.csv"), e.getMessage());
        assertTrue(e.getMessage().contains("sched_ext.properties"), e.getMessage());
    }

    @Test
    void aTableWithoutTheKernelsReportIsNotAResult(@TempDir Path dir) throws IOException {
        RunResultFiles.write(SampleRuns.result("run-a", "host"), dir);
        Files.delete(dir.resolve(RunResultFiles.KERNEL));
        IOException e = assertThrows(IOException.class, () -> RunResultFiles.read(dir));
        assertTrue(e.getMessage().contains("sched_ext.properties"), e.getMessage());
    }
}
