package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.util.Histograms;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WorkloadReportTest {

    private final WorkloadReport report = new WorkloadReport(List.of(
            new WorkloadReport.Metric("frames", "count", 60),
            new WorkloadReport.Metric("frame_time_p50", "ms", 4.2)), List.of());

    @Test
    void aMetricIsLookedUpByName() {
        assertEquals(60.0, report.value("frames"));
        assertEquals(4.2, report.value("frame_time_p50"));
    }

    @Test
    void anUnknownMetricIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> report.value("fps"));
        assertTrue(e.getMessage().contains("no metric fps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> report.histogram("fps"));
        assertTrue(e.getMessage().contains("no histogram fps"), e.getMessage());
    }

    @Test
    void aLatencyBecomesItsPercentilesInItsUnitAndKeepsItsHistogram() {
        Histogram h = Histograms.create();
        for (long v = 1; v <= 1000; v++) h.recordValue(v * 1_000);  // 1 .. 1000 us
        WorkloadReport r = new WorkloadReport.Builder().latency("wait", h, "us").latency("frame", h, "ms").build();
        assertEquals(500.0, r.value("wait_p50"), 0.5);
        assertEquals(990.0, r.value("wait_p99"), 1);
        assertEquals(999.0, r.value("wait_p999"), 1);
        assertEquals(1000.0, r.value("wait_max"), 1);
        assertEquals(0.5, r.value("frame_p50"), 0.001);
        assertEquals(List.of("wait_p50", "wait_p99", "wait_p999", "wait_max", "frame_p50", "frame_p99", "frame_p999", "frame_max"),
                r.metrics().stream().map(WorkloadReport.Metric::name).toList());
        assertSame(h, r.histogram("wait"));
    }

    @Test
    void anEmptyLatencyHasNoPercentilesRatherThanZeros() {
        WorkloadReport r = new WorkloadReport.Builder().latency("wait", Histograms.create(), "us").build();
        assertTrue(Double.isNaN(r.value("wait_p50")) && Double.isNaN(r.value("wait_max")));
    }

    @Test
    void aMetricReportedTwiceIsAnErrorNotAnOverwrite() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new WorkloadReport.Builder().count("frames", 1).count("frames", 2).build());
        assertTrue(e.getMessage().contains("frames"), e.getMessage());
    }
}
