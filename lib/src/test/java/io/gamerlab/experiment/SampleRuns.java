package io.gamerlab.experiment;

import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small run results built from the real table schema, for tests that store and read them. */
final class SampleRuns {

    private SampleRuns() { }

    static RunResult result(String runId, String backend) {
        Provenance p = new Provenance(runId, backend, backend.equals("host") ? "host" : "tcg-emulated",
                "6.12.0-test", "Test CPU, 2 cores", "baseline", "0123456789ab", Instant.parse("2025-01-02T03:04:05Z"));
        Map<String, Long> statistics = new LinkedHashMap<>();
        statistics.put("enqueued", 123L);
        statistics.put("wait_ns", 4_567L);
        RunTable table = new RunTable(p, "gameloop-h2")
                .add("workload", "frame_time_p50", "ms", 4.25)
                .addUnsupported("perf", "cycles", "count", "ENOENT (No such file or directory): no PMU, \"quoted\"")
                .addSchedulerStatistics(statistics);
        return new RunResult(table.table(), "enabled", "gamer", "disabled", 64, "unregistered from user space");
    }
}
