package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.Column;
import io.gamerlab.measure.RunTable;
import io.gamerlab.measure.SampleProvenance;
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

    /** A wide histogram's Base64 is longer than the CSV parser's default cell (4096 characters). */
    @Test
    void aLongHistogramNoteReadsBackWhole(@TempDir Path dir) throws IOException {
        org.HdrHistogram.Histogram wide = io.gamerlab.util.Histograms.create();
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) wide.recordValue((long) Math.exp(random.nextDouble() * 23));  // 1 ns .. 10 s
        RunResult sample = SampleRuns.result("run-h", "guest-tcg");
        RunTable table = new RunTable(SampleProvenance.of("run-h", "baseline", "guest-tcg")).addWorkload(new io.gamerlab.workload.WorkloadReport(java.util.List.of(),
                java.util.List.of(new io.gamerlab.workload.WorkloadReport.Distribution("wait", wide))));
        String note = table.table().stringColumn("note").get(0);
        assertTrue(note.length() > 4096, "note of " + note.length() + " characters");
        RunResultFiles.write(new RunResult(table.table(), sample.stateDuring(), sample.opsDuring(), sample.stateAfter(),
                sample.exitKind(), sample.exitReason()), dir);
        assertEquals(wide, io.gamerlab.util.Histograms.decode(RunResultFiles.read(dir).table().stringColumn("note").get(0)));
    }
}
