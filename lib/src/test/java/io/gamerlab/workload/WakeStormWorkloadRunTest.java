package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WakeStormWorkloadRunTest {

    @Test
    void sendersAndReceiversExchangeMessagesThroughPipesUntilStopped() throws InterruptedException {
        RecordingRoles roles = new RecordingRoles();
        Duration run = Duration.ofMillis(500);
        WorkloadReport report = WorkloadSpec.parse("wakestorm:groups=2,fds=2,message=64B").create().run(run, roles);
        double messages = report.value("messages");
        assertTrue(messages > 0, report.toString());
        assertEquals(8, report.value("threads"));
        assertEquals(messages, report.histogram("message_latency").getTotalCount());
        assertEquals(messages / 0.5, report.value("message_rate"), 1e-6);
        assertTrue(report.value("message_latency_p50") <= report.value("message_latency_max"));
        assertTrue(roles.roles.isEmpty() && roles.stages.isEmpty(), "hackbench's threads declare nothing: " + roles.roles);
    }
}
