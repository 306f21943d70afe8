package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadReportTest {

    private final WorkloadReport report = new WorkloadReport(List.of(
            new WorkloadReport.Metric("frames", "count", 60),
            new WorkloadReport.Metric("frame_time_p50", "ms", 4.2)));

    @Test
    void aMetricIsLookedUpByName() {
        assertEquals(60.0, report.value("frames"));
        assertEquals(4.2, report.value("frame_time_p50"));
    }

    @Test
    void anUnknownMetricIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> report.value("fps"));
        assertTrue(e.getMessage().contains("no metric fps"), e.getMessage());
    }
}
