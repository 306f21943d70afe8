package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.Role;
import io.gamerlab.util.CacheSizes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CachePressureWorkloadRunTest {

    @Test
    void streamsBuffersLargerThanTheLastLevelCacheBesideAnotherWorkload() throws InterruptedException {
        RecordingRoles roles = new RecordingRoles();
        Workload both = WorkloadSpec.parse("pipeline:period=8.3ms,work=0s,hogs=0+pressure:llc_multiple=2").create();
        assertEquals("pipeline:period=8.3ms,stages=4,work=0s,hogs=0+pressure:threads=1,llc_multiple=2", both.name());
        WorkloadReport report = both.run(Duration.ofMillis(800), roles);
        long llc = CacheSizes.ofThisHost().llc();
        assertEquals(llc, report.value("pressure_llc_bytes"));
        assertEquals(2.0 * llc, report.value("pressure_buffer_bytes"));
        assertEquals(1, report.value("pressure_threads"));
        assertTrue(report.value("pressure_bytes") > 0, report.toString());
        assertTrue(report.value("pressure_bytes") >= report.value("pressure_passes") * 2.0 * llc, "whole passes and a partial one");
        assertEquals(report.value("pressure_bytes") / 1e6 / 0.8, report.value("pressure_rate"), 1e-6);
        assertTrue(report.value("frames_presented") > 0, "the pipeline ran beside it: " + report);
        assertEquals(Role.NONE, roles.roles.get("pressure-0"));
        assertEquals(Map.of("pipeline-input", 1, "pipeline-logic", 2, "pipeline-render", 3, "pipeline-present", 4), roles.stages);
    }
}
