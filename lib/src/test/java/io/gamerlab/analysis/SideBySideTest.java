package io.gamerlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.SampleProvenance;
import io.gamerlab.measure.RunTable;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class SideBySideTest {

    private static Table run(String id, String variant, String workload, double fps, double misses) {
        return new RunTable(SampleProvenance.of(id, variant, "guest-tcg", workload)).add("workload", "fps_low_1pct", "fps", fps).add("workload", "deadline_misses", "count", misses)
                .add("perf", "task_clock", "ns", 1).table();
    }

    @Test
    void eachVariantIsAColumnOfMeansOverItsRunsPerWorkloadAndMetric() {
        Table runs = run("a", "kernel-default", "pipeline", 30, 4)
                .append(run("b", "baseline", "pipeline", 40, 2))
                .append(run("c", "baseline", "pipeline", 50, 0))
                .append(run("d", "kernel-default", "wakestorm", 10, 1));
        Table t = SideBySide.byVariant(runs, "workload", List.of("fps_low_1pct", "deadline_misses"));
        assertEquals(List.of("workload", "metric", "unit", "kernel-default", "baseline", "runs kernel-default", "runs baseline"), t.columnNames());
        assertEquals(4, t.rowCount());
        assertEquals("pipeline", t.stringColumn("workload").get(0));
        assertEquals("fps_low_1pct", t.stringColumn("metric").get(0));
        assertEquals("fps", t.stringColumn("unit").get(0));
        assertEquals(30.0, t.doubleColumn("kernel-default").get(0));
        assertEquals(45.0, t.doubleColumn("baseline").get(0), "the mean of two runs");
        assertEquals(2, t.intColumn("runs baseline").get(0));
        assertTrue(t.doubleColumn("baseline").isMissing(2), "wakestorm ran under kernel-default only: missing, not 0");
        assertEquals(0, t.intColumn("runs baseline").get(2));
    }

    @Test
    void noMatchingRowIsAnErrorNamingWhatWasAskedFor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SideBySide.byVariant(run("a", "baseline", "p", 1, 1), "workload", List.of("fps_mean")));
        assertTrue(e.getMessage().contains("[fps_mean]"), e.getMessage());
    }
}
