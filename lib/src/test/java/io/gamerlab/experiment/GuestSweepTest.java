package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.analysis.MeasurementCost;
import io.gamerlab.analysis.SweepOverhead;
import io.gamerlab.measure.Column;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * A real short experiment end to end in the guest, in one boot: two variants of ours and
 * kernel-default under two workloads, two repetitions, plus a variant whose object the verifier
 * refuses (the scheduler with one invalid program, bpf/fixtures/gamer_rejected.bpf.c), which must
 * be stored as failed with the verifier's words while every other cell of the same boot completes.
 */
class GuestSweepTest {

    private static final Variant REFUSED = Variant.parse("batch=4");

    @Test
    void oneBootRunsTheSweepInPlanOrderWithProvenanceAndARefusedVariantFailsAlone(@TempDir Path datasets) throws Exception {
        Experiment experiment = Experiment.named("guest-sweep").variants(Variant.BASELINE.label(), "pipeline=on", REFUSED.label(), "kernel-default")
                .workload("wakestorm", Map.of("groups", "1")).workload("pipeline", Map.of("hogs", "1"))
                .repetitions(2).warmup(Duration.ZERO).duration(Duration.ofSeconds(2)).seed(11).backend("guest").build();
        SchedulerBuild build = SchedulerBuild.ofCheckout();
        Path rejected = build.root().resolve("build/bpf/fixtures/gamer_rejected.bpf.o");
        assertTrue(Files.isRegularFile(rejected), rejected + " is missing: make -C bpf builds it");
        GuestBackend guest = GuestBackend.standard().withoutInput().withObject(REFUSED, rejected);
        Sweep sweep = Sweep.of(experiment, datasets, false);
        List<Cell> plan = sweep.plan();
        List<String> finishedInOrder = new ArrayList<>();
        Sweep.Outcome outcome = sweep.run(guest, build.gitCommit(), new Sweep.Progress() {
            @Override
            public void starting(int toRun, int stored, int total) { }

            @Override
            public void cellStarted(Cell cell) { }

            @Override
            public void cellFinished(Cell cell, boolean failed, String reason) {
                finishedInOrder.add(cell.id());
            }
        });
        long refusedCells = plan.stream().filter(c -> c.variant().variant().equals(REFUSED)).count();
        assertEquals(plan.stream().map(Cell::id).toList(), finishedInOrder, "cells reported out of plan order");
        assertEquals(plan.size(), outcome.ran());
        assertEquals(refusedCells, outcome.failed());
        assertEquals(refusedCells, outcome.missing(), "only the refused variant's cells lack a result");

        Map<String, String> failures = sweep.dataset().failures();
        for (Cell c : plan) {
            boolean refused = c.variant().variant().equals(REFUSED);
            assertEquals(refused, failures.containsKey(c.id()), c.id() + " " + c.condition() + ": failed? " + failures.get(c.id()));
            if (refused) assertTrue(failures.get(c.id()).contains("rejected_by_verifier"), failures.get(c.id()));
        }
        Set<String> stored = sweep.stored();
        assertEquals(plan.size() - refusedCells, stored.size());

        Table rows = sweep.dataset().table();
        Map<String, Instant> startedAt = new TreeMap<>();
        Set<Double> bootShares = new HashSet<>();
        Set<String> overheadCells = new HashSet<>();
        for (Row r : rows) {
            String cell = r.getString(Column.CELL_ID.label());
            boolean kernelDefault = r.getString(Column.VARIANT.label()).equals(Variant.KERNEL_DEFAULT.label());
            for (Column c : List.of(Column.EXPERIMENT, Column.CELL_ID, Column.VARIANT, Column.WORKLOAD, Column.TUNABLES, Column.BACKEND,
                    Column.CLOCK, Column.KERNEL, Column.CPU_MODEL, Column.GIT_COMMIT, Column.JDK, Column.LIBBPF, Column.NODE)) {
                if (c == Column.TUNABLES && kernelDefault) continue;
                assertFalse(r.getObject(c.label()).toString().isEmpty(), "row without " + c.label() + ": " + r);
            }
            if (!kernelDefault) assertFalse(r.getString(Column.BPF_SHA256.label()).isEmpty(), "row without its object's hash: " + r);
            assertEquals(11L, ((Number) r.getObject(Column.SEED.label())).longValue(), r.toString());
            assertEquals("guest-tcg", r.getString(Column.BACKEND.label()));
            startedAt.putIfAbsent(cell, Instant.parse(r.getObject(Column.STARTED_AT.label()).toString()));
            boolean control = r.getString(Column.MEASUREMENT.label()).equals("off");
            String source = r.getString(Column.SOURCE.label());
            if (control) assertFalse(source.equals("perf") || source.equals("input"), "a control cell measured " + source + ": " + r);
            if (source.equals(CellCost.SOURCE) && r.getString(Column.METRIC.label()).equals(CellCost.BOOT_SHARE))
                bootShares.add(r.getDouble(Column.VALUE.label()));
            if (source.equals(CellCost.SOURCE) && r.getString(Column.METRIC.label()).equals(CellCost.OVERHEAD)) overheadCells.add(cell);
        }
        assertEquals(stored, startedAt.keySet(), "every stored cell has rows");
        assertEquals(stored, overheadCells, "every cell records its overhead");
        assertEquals(1, bootShares.size(), "the cells came from more than one boot (boot shares " + bootShares + ")");
        List<String> byStart = startedAt.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
        assertEquals(plan.stream().map(Cell::id).filter(stored::contains).toList(), byStart, "cells did not run in plan order");

        List<Cell> controls = plan.stream().filter(c -> !c.measured()).toList();
        assertEquals(experiment.repetitions(), controls.size());
        assertTrue(stored.containsAll(controls.stream().map(Cell::id).toList()), "a control cell is missing");
        Set<String> controlSources = new HashSet<>();
        Set<String> measuredSources = new HashSet<>();
        for (Row r : rows) {
            if (!r.getString(Column.VARIANT.label()).equals(controls.getFirst().variant().label())) continue;
            (r.getString(Column.MEASUREMENT.label()).equals("off") ? controlSources : measuredSources).add(r.getString(Column.SOURCE.label()));
        }
        assertTrue(measuredSources.contains("perf") && measuredSources.contains("input"), "measured cells lack counters or the stream: " + measuredSources);
        assertTrue(controlSources.contains("workload") && controlSources.contains("scheduler"), "the control cell did not run: " + controlSources);

        SweepOverhead overhead = SweepOverhead.of(rows);
        String printed = overhead.describe();
        System.out.print("GuestSweepTest: " + printed);
        System.out.printf("GuestSweepTest: %d cells in %.1f s of wall time%n", outcome.ran(), outcome.wall().toMillis() / 1e3);
        assertTrue(printed.contains("per-cell overhead") && overhead.inCell().n() == stored.size(), printed);
        List<MeasurementCost.Line> cost = MeasurementCost.of(rows);
        System.out.print("GuestSweepTest: " + MeasurementCost.describe(cost));
        assertFalse(cost.isEmpty(), "no measurement cost from the control cells");
        assertTrue(cost.stream().allMatch(l -> l.interval() != null && l.off().n() == 2 && l.on().n() == 2), MeasurementCost.describe(cost));
    }
}
