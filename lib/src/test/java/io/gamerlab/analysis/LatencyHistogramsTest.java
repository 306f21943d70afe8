package io.gamerlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.SampleProvenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.util.Histograms;
import io.gamerlab.workload.WorkloadReport;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class LatencyHistogramsTest {

    private static Histogram of(long... nanos) {
        Histogram h = Histograms.create();
        for (long n : nanos) h.recordValue(n);
        return h;
    }

    private static Table run(String id, String variant, Histogram wait) {
        return new RunTable(SampleProvenance.of(id, variant, "guest-tcg", "w")).addWorkload(new WorkloadReport(List.of(new WorkloadReport.Metric("frames", "count", 1)),
                List.of(new WorkloadReport.Distribution("wait", wait)))).table();
    }

    private static final Table RUNS = run("a", "baseline", of(1_000, 2_000, 3_000))
            .append(run("b", "baseline", of(4_000, 100_000)))
            .append(run("c", "kernel-default", of(500, 500, 700)));

    @Test
    void repetitionsMergeIntoTheHistogramOfAllTheirSamples() {
        Table baseline = RUNS.where(RUNS.stringColumn("variant").isEqualTo("baseline"));
        assertEquals(of(1_000, 2_000, 3_000, 4_000, 100_000), LatencyHistograms.merged(baseline, "workload", "wait"));
    }

    @Test
    void percentilesPerGroupComeFromTheMergedHistogram() {
        Table t = LatencyHistograms.percentiles(RUNS, "workload", "wait", "variant", "us");
        assertEquals(List.of("variant", "runs", "samples", "p50_us", "p99_us", "p99.9_us", "max_us"), t.columnNames());
        Table baseline = t.where(t.stringColumn("variant").isEqualTo("baseline"));
        assertEquals(2, baseline.intColumn("runs").get(0));
        assertEquals(5.0, baseline.doubleColumn("samples").get(0));
        assertEquals(3.0, baseline.doubleColumn("p50_us").get(0), 0.003, "the 3rd of 5 samples, within 0.1 %");
        assertEquals(100.0, baseline.doubleColumn("max_us").get(0), 0.1);
        Table kernel = t.where(t.stringColumn("variant").isEqualTo("kernel-default"));
        assertEquals(0.5, kernel.doubleColumn("p50_us").get(0));
        assertEquals(0.7, kernel.doubleColumn("p99_us").get(0));
    }

    @Test
    void aLatencyWithNoHistogramRowsIsAnErrorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencyHistograms.merged(RUNS, "workload", "frames"));
        assertTrue(e.getMessage().contains("no workload/frames_histogram rows"), e.getMessage());
    }
}
