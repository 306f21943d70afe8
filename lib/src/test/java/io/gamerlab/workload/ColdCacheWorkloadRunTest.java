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
class ColdCacheWorkloadRunTest {

    @Test
    void wakeUpsAreToldApartByPhaseAndFlushesStreamSeveralLastLevelCaches() throws InterruptedException {
        RecordingRoles roles = new RecordingRoles();
        WorkloadReport report = WorkloadSpec.parse("coldcache:period=2ms,working_set=64KiB,window=100ms,flush_every=300ms,llc_multiple=2")
                .create().run(Duration.ofSeconds(1), roles);
        assertEquals(Map.of("coldcache-probe", Role.GAME, "coldcache-flusher", Role.NONE), roles.roles);
        assertEquals(64 << 10, report.value("working_set_bytes"));
        assertEquals(2.0 * CacheSizes.ofThisHost().llc(), report.value("flush_bytes"));
        assertTrue(report.value("cold_start_wakeups") > 0, report.toString());
        assertTrue(report.value("cold_start_wakeups") <= 100 / 2 + 1, "no more than the window holds: " + report.value("cold_start_wakeups"));
        assertTrue(report.value("flushes") >= 1, report.toString());
        if (report.value("flushes") >= 2)
            assertTrue(report.value("after_flush_wakeups") > 0, "the first flush's window ended before the second began");
        double all = 0;
        for (ColdCacheWorkload.Phase p : ColdCacheWorkload.Phase.values()) {
            double n = report.value(p.key() + "_wakeups");
            assertEquals(n, report.histogram(p.key() + "_walk").getTotalCount());
            all += n;
        }
        assertTrue(all > 0 && all <= 1000 / 2 + 1, "every wake-up in one phase, none ahead of its deadline: " + all);
    }

    @Test
    void withoutFlushesThereIsNoFlushBufferAndNothingAfterAFlush() throws InterruptedException {
        WorkloadReport report = WorkloadSpec.parse("coldcache:period=2ms,working_set=64KiB,window=50ms,flush_every=0s")
                .create().run(Duration.ofMillis(300), new RecordingRoles());
        assertEquals(0, report.value("flush_bytes"));
        assertEquals(0, report.value("flushes"));
        assertEquals(0, report.value("after_flush_wakeups") + report.value("flushing_wakeups"));
        assertTrue(report.value("warm_wakeups") > 0, report.toString());
    }
}
