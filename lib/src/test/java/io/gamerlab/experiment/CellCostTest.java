package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.analysis.SweepOverhead;
import io.gamerlab.measure.Column;
import io.gamerlab.sched.Variant;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/** A cell's phases, as the guest leaves them and as the cell's rows record them. */
class CellCostTest {

    private static final RunSpec SPEC = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(3), "abc").withWarmup(Duration.ofSeconds(1));

    @Test
    void phasesSurviveTheirFileInOrderAndATailIsAPhaseOfItsOwn() throws Exception {
        CellPhases phases = new CellPhases();
        phases.lap(CellPhases.SPEC);
        Thread.sleep(20);
        phases.lap(CellPhases.LOAD, CellPhases.ATTACH, Duration.ofMillis(5));
        phases.lap(CellPhases.WRITE);
        Map<String, Duration> read = CellPhases.decode(new String(phases.encode(), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(phases.durations(), read);
        assertEquals(List.of(CellPhases.SPEC, CellPhases.LOAD, CellPhases.ATTACH, CellPhases.WRITE), List.copyOf(read.keySet()));
        assertEquals(Duration.ofMillis(5), read.get(CellPhases.ATTACH));
        assertTrue(read.get(CellPhases.LOAD).compareTo(Duration.ofMillis(10)) >= 0, read.toString());
    }

    @Test
    void aLineThatIsNotAPhaseIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellPhases.decode("load=12\nattach twelve\n"));
        assertTrue(e.getMessage().contains("'attach twelve'"), e.getMessage());
    }

    @Test
    void thePartsAddUpToTheOverheadAndTheWorkloadPhasesCountOnlyTheirExcess() {
        Map<String, Duration> phases = new LinkedHashMap<>();
        phases.put(CellPhases.SPEC, Duration.ofMillis(100));
        phases.put(CellPhases.WARMUP, Duration.ofMillis(1_700));  // 0.7 s beyond its nominal 1 s
        phases.put(CellPhases.LOAD, Duration.ofMillis(2_000));
        phases.put(CellPhases.WORKLOAD, Duration.ofMillis(3_200));  // 0.2 s beyond its nominal 3 s
        phases.put(CellPhases.WRITE, Duration.ofMillis(300));
        Table rows = SampleRuns.result("c0001-x", "guest-tcg").table();
        CellCost.addTo(rows, SPEC, Duration.ofMillis(7_500), Duration.ofMillis(900), 2, phases);
        Map<String, Double> cost = costRows(rows);
        assertEquals(3.5, cost.get(CellCost.OVERHEAD), 1e-9);
        assertEquals(0.7, cost.get("part_warmup_s"), 1e-9);
        assertEquals(0.2, cost.get("part_workload_s"), 1e-9);
        assertEquals(2.0, cost.get("part_load_s"), 1e-9);
        assertEquals(0.2, cost.get("part_other_s"), 1e-9);
        double parts = cost.entrySet().stream().filter(e -> e.getKey().startsWith(CellCost.PART_PREFIX)).mapToDouble(Map.Entry::getValue).sum();
        assertEquals(cost.get(CellCost.OVERHEAD), parts, 1e-9);

        SweepOverhead overhead = SweepOverhead.of(rows);
        assertEquals(2.0, overhead.parts().get("load").mean(), 1e-9);
        assertEquals("c0001-x", overhead.slowest().cellId());
        String printed = overhead.describe();
        assertTrue(printed.contains("load 2.00") && printed.contains("slowest cell c0001-x: 3.50 s, most in load 2.00 s, warmup 0.70 s"), printed);
    }

    @Test
    void theTargetIsJudgedOnTheCellsAfterTheirBootsFirstWhichIsReportedApart() {
        Table first = SampleRuns.result("c0001-x", "guest-tcg").table();
        CellCost.addTo(first, SPEC, Duration.ofMillis(34_000), Duration.ofMillis(1_500), 1, Map.of());
        Table second = SampleRuns.result("c0002-y", "guest-tcg").table();
        CellCost.addTo(second, SPEC, Duration.ofMillis(4_800), Duration.ofMillis(1_500), 2, Map.of());
        Table third = SampleRuns.result("c0003-z", "guest-tcg").table();
        CellCost.addTo(third, SPEC, Duration.ofMillis(5_200), Duration.ofMillis(1_500), 3, Map.of());
        SweepOverhead overhead = SweepOverhead.of(first.append(second).append(third));
        assertEquals(30.0, overhead.first().mean(), 1e-9);
        assertEquals(1.0, overhead.afterFirst().mean(), 1e-9, "0.8 s and 1.2 s");
        assertTrue(overhead.targetMet(), "1.0 s is within the target");
        String printed = overhead.describe();
        assertTrue(printed.contains("after boot (the cells after each boot's first, 2 cells): 1.00 s in the cell") && printed.contains("met")
                && printed.contains("each boot's first cell (1): 30.00 s"), printed);
        assertTrue(printed.contains("= 12.17 s per cell, all in"), "(30 + 0.8 + 1.2) / 3 + 1.5: " + printed);
    }

    @Test
    void aCellNotTimedByPhaseRecordsOnlyItsOverhead() {
        Table rows = SampleRuns.result("c0002-y", "host").table();
        CellCost.addTo(rows, SPEC, Duration.ofMillis(4_250), null, 0, Map.of());
        assertEquals(Map.of(CellCost.OVERHEAD, 0.25), costRows(rows));
        SweepOverhead overhead = SweepOverhead.of(rows);
        assertTrue(overhead.parts().isEmpty() && !overhead.describe().contains("by phase"), overhead.describe());
    }

    private static Map<String, Double> costRows(Table rows) {
        Map<String, Double> cost = new LinkedHashMap<>();
        for (Row r : rows)
            if (r.getString(Column.SOURCE.label()).equals(CellCost.SOURCE)) cost.put(r.getString(Column.METRIC.label()), r.getDouble(Column.VALUE.label()));
        return cost;
    }
}
