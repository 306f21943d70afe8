package io.gamerlab.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.util.Histograms;
import io.gamerlab.workload.WorkloadReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

class RunTableTest {

    private static final Provenance PROVENANCE = SampleProvenance.of("run-1", "baseline", "guest-tcg");

    private static final Histogram FRAME_TIMES = Histograms.create();

    static {
        for (long ms = 1; ms <= 60; ms++) FRAME_TIMES.recordValue(ms * 1_000_000);
    }

    private static Table rowsOfEveryKind() {
        Map<String, Long> statistics = new LinkedHashMap<>();
        statistics.put("enqueued", 7L);
        statistics.put("wait_ns", 1_500L);
        return new RunTable(PROVENANCE)
                .add("custom", "answer", "count", 42)
                .addUnsupported("perf", "cycles", "count", "ENOENT: no PMU")
                .addCounters(List.of(CounterReading.counted(PerfEvent.TASK_CLOCK, 900, 10, 10),
                        CounterReading.unsupported(PerfEvent.INSTRUCTIONS, "EOPNOTSUPP")))
                .addSchedulerStatistics(statistics)
                .addWorkload(new WorkloadReport(List.of(new WorkloadReport.Metric("frames", "count", 60)),
                        List.of(new WorkloadReport.Distribution("frame_time", FRAME_TIMES))))
                .table();
    }

    private static Row find(Table t, String source, String metric) {
        for (Row r : t)
            if (r.getString("source").equals(source) && r.getString("metric").equals(metric)) return r;
        throw new AssertionError("no row " + source + "/" + metric + " in\n" + t.printAll());
    }

    @Test
    void theColumnsAreTheSharedSchemaInOrder() {
        Table t = rowsOfEveryKind();
        assertEquals(Column.NAMES, t.columnNames());
        assertEquals(Column.NAMES, new RunTable(PROVENANCE).table().columnNames());
        assertEquals(0, new RunTable(PROVENANCE).table().rowCount());
    }

    @Test
    void everyRowCarriesTheRunsProvenanceAndWorkload() {
        Table t = rowsOfEveryKind();
        assertEquals(8, t.rowCount());
        for (Row r : t) {
            assertEquals(Column.VERSION, r.getInt("schema_version"));
            assertEquals("sample", r.getString("experiment"));
            assertEquals("run-1", r.getString("cell_id"));
            assertEquals(1, r.getInt("repetition"));
            assertEquals(7L, r.getLong("seed"));
            assertEquals("on", r.getString("measurement"));
            assertEquals("guest-tcg", r.getString("backend"));
            assertEquals("tcg-emulated", r.getString("clock"));
            assertEquals("6.12.0-test", r.getString("kernel"));
            assertEquals("Test CPU, 2 cores", r.getString("cpu_model"));
            assertEquals(2, r.getInt("cpu_count"));
            assertEquals("baseline", r.getString("variant"));
            assertEquals("ab12", r.getString("bpf_sha256"));
            assertEquals("gameloop-h2", r.getString("workload"));
            assertEquals("hogs=2", r.getString("workload_params"));
            assertEquals("slice_ns=2000000", r.getString("tunables"));
            assertEquals("0123456789ab", r.getString("git_commit"));
            assertEquals("Test JDK 25", r.getString("jdk"));
            assertEquals("1.4 (test)", r.getString("libbpf"));
            assertEquals("2025-01-02T03:04:05Z", r.getString("started_at"));
        }
    }

    @Test
    void aMeasuredRowIsOkWithItsValueAndNoNote() {
        Row r = find(rowsOfEveryKind(), "custom", "answer");
        assertEquals(42.0, r.getDouble("value"));
        assertEquals("ok", r.getString("status"));
        assertEquals("", r.getString("note"));
    }

    @Test
    void anUnsupportedRowHasNoValueAStatusAndTheReason() {
        Row r = find(rowsOfEveryKind(), "perf", "cycles");
        assertTrue(Double.isNaN(r.getDouble("value")));
        assertEquals("unsupported", r.getString("status"));
        assertEquals("ENOENT: no PMU", r.getString("note"));
        assertEquals("count", r.getString("unit"));
    }

    @Test
    void counterReadingsBecomePerfRowsSupportedOrNot() {
        Table t = rowsOfEveryKind();
        Row clock = find(t, "perf", "task_clock");
        assertEquals(900.0, clock.getDouble("value"));
        assertEquals("ns", clock.getString("unit"));
        assertEquals("ok", clock.getString("status"));
        Row instructions = find(t, "perf", "instructions");
        assertEquals("unsupported", instructions.getString("status"));
        assertEquals("EOPNOTSUPP", instructions.getString("note"));
        assertTrue(Double.isNaN(instructions.getDouble("value")));
    }

    @Test
    void schedulerStatisticsEndingInNsAreNanosecondsAndTheRestCounts() {
        Table t = rowsOfEveryKind();
        assertEquals("ns", find(t, "scheduler", "wait_ns").getString("unit"));
        assertEquals(1_500.0, find(t, "scheduler", "wait_ns").getDouble("value"));
        assertEquals("count", find(t, "scheduler", "enqueued").getString("unit"));
        assertEquals(7.0, find(t, "scheduler", "enqueued").getDouble("value"));
    }

    @Test
    void workloadMetricsKeepTheirUnits() {
        Row frames = find(rowsOfEveryKind(), "workload", "frames");
        assertEquals("count", frames.getString("unit"));
        assertEquals(60.0, frames.getDouble("value"));
    }

    @Test
    void aLatencysHistogramIsARowCountingItsSamplesWithTheEncodedHistogramInItsNote() {
        Row h = find(rowsOfEveryKind(), "workload", "frame_time" + RunTable.HISTOGRAM_SUFFIX);
        assertEquals(RunTable.HISTOGRAM_UNIT, h.getString("unit"));
        assertEquals(60.0, h.getDouble("value"));
        assertEquals("ok", h.getString("status"));
        assertEquals(FRAME_TIMES, Histograms.decode(h.getString("note")));
    }
}
