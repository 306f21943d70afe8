package io.gamerlab.experiment;

import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.measure.SampleProvenance;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small run results built from the real table schema, for tests that store and read them. */
final class SampleRuns {

    private SampleRuns() { }

    static RunResult result(String runId, String backend) {
        Provenance p = SampleProvenance.of(runId, "baseline", backend);
        Map<String, Long> statistics = new LinkedHashMap<>();
        statistics.put("enqueued", 123L);
        statistics.put("wait_ns", 4_567L);
        RunTable table = new RunTable(p)
                .add("workload", "frame_time_p50", "ms", 4.25)
                .addUnsupported("perf", "cycles", "count", "ENOENT (No such file or directory): no PMU, \"quoted\"")
                .addSchedulerStatistics(statistics);
        return new RunResult(table.table(), "enabled", "gamer", "disabled", 64, "unregistered from user space");
    }
}
