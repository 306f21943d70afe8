package io.gamerlab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.experiment.Backend;
import io.gamerlab.experiment.Cell;
import io.gamerlab.experiment.DatasetFile;
import io.gamerlab.experiment.Experiment;
import io.gamerlab.experiment.PrintedProgress;
import io.gamerlab.experiment.Sweep;
import io.gamerlab.measure.Column;
import io.gamerlab.sched.SchedulerBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * A small experiment through the local Slurm cluster, against a local run of the same experiment:
 * submitted as a job array of two tasks, one task cancelled while it runs a cell, resubmitted
 * (only the missing cells go out), completed; then every cell is there once, with the coordinates
 * and the kinds of rows a local run gives it, and each row names the node and the job array task
 * that stored it.
 */
class SlurmSweepTest {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration LIMIT = Duration.ofMinutes(40);

    /** The kernel's own scheduler and our baseline, one short workload, two repetitions: six cells with the control cells. */
    private static Experiment experiment() {
        return Experiment.named("slurm-ci").description("a job array on the local cluster against a local run")
                .variants("kernel-default", "baseline").workload("gameloop", Map.of("hogs", "0"))
                .repetitions(2).warmup(Duration.ZERO).duration(Duration.ofSeconds(1)).seed(14).backend("auto").build();
    }

    @Test
    void aJobArrayWithACancelledTaskResubmittedHasTheCellsOfALocalRun(@TempDir Path root) throws Exception {
        Experiment e = experiment();
        Path checkout = SchedulerBuild.ofCheckout().root();
        Path viaSlurm = root.resolve("slurm");
        long slurmStart = System.nanoTime();
        List<Long> jobs = new ArrayList<>();
        Map<String, Integer> taskOfCell = new HashMap<>();
        Map<String, Long> jobOfCell = new HashMap<>();
        String node;
        try (LocalCluster cluster = LocalCluster.start()) {
            Slurm slurm = cluster.slurm();
            Sweep sweep = Sweep.of(e, viaSlurm, false);
            Submission first = SlurmSweep.submit(sweep, slurm, SlurmOptions.NONE, 2, checkout).orElseThrow();
            long job = first.jobId().orElseThrow();
            jobs.add(job);
            assertEquals(2, first.tasks().size());
            assertEquals(sweep.plan().stream().map(Cell::id).toList(), first.tasks().stream().flatMap(List::stream).toList(),
                    "the shards are the plan, cut in order");
            // While it runs, a second submission would run its cells twice: refused.
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> SlurmSweep.submit(Sweep.of(e, viaSlurm, true), slurm, SlurmOptions.NONE, 2, checkout));
            assertTrue(twice.getMessage().contains("still has") && twice.getMessage().contains("scancel " + job), twice.getMessage());

            // Cancel task 1 while it runs its shard: a guest boot's cells are stored when the boot
            // ends, so the whole shard is lost and must be resubmitted.
            List<String> shard1 = first.shard(1);
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!output(first.output(1)).contains("slurm-task: task 1 ")) {
                assertTrue(System.nanoTime() < deadline, "task 1 did not start its shard in " + LIMIT + ": " + slurm.tasks(job));
                assertFalse(slurm.tasks(job).orElseThrow().get(1).finished(), () -> "task 1 ended before it ran: "
                        + output(first.output(1)));
                Thread.sleep(POLL.toMillis());
            }
            slurm.cancel(job, 1);
            List<Slurm.Task> ended = slurm.awaitFinished(job, POLL, LIMIT);
            assertTrue(ended.get(0).completed(), () -> "task 0: " + ended.get(0) + "\n" + output(first.output(0)));
            assertEquals("CANCELLED", ended.get(1).state(), "task 1: " + ended.get(1));
            node = ended.get(0).node();
            Set<String> stored = sweep.stored();
            assertTrue(stored.containsAll(first.shard(0)), "task 0 stored its whole shard");
            Set<String> lost = new TreeSet<>(shard1);
            lost.removeAll(stored);
            assertFalse(lost.isEmpty(), "task 1 was cancelled after its last cell: nothing to resubmit");
            String status = SlurmSweep.status(sweep, slurm);
            assertTrue(status.contains(stored.size() + " done") && status.contains("CANCELLED")
                    && status.contains(lost.size() + " cells have no result"), status);
            record(first, 0, stored, taskOfCell, jobOfCell, job);
            record(first, 1, stored, taskOfCell, jobOfCell, job);

            // Resubmitted: only the missing cells go out, and they complete.
            Submission second = SlurmSweep.submit(Sweep.of(e, viaSlurm, true), slurm, SlurmOptions.NONE, 2, checkout).orElseThrow();
            long again = second.jobId().orElseThrow();
            jobs.add(again);
            assertEquals(lost, new TreeSet<>(second.tasks().stream().flatMap(List::stream).toList()), "the resubmission's cells");
            for (Slurm.Task t : slurm.awaitFinished(again, POLL, LIMIT))
                assertTrue(t.completed(), () -> "task " + t + "\n" + output(second.output(t.index())));
            for (int i = 0; i < second.tasks().size(); i++) record(second, i, Set.copyOf(second.shard(i)), taskOfCell, jobOfCell, again);
            assertTrue(SlurmSweep.status(sweep, slurm).startsWith("experiment slurm-ci: 6 cells: 6 done, 0 failed, 0 pending"),
                    SlurmSweep.status(sweep, slurm));
            assertTrue(SlurmSweep.submit(Sweep.of(e, viaSlurm, true), slurm, SlurmOptions.NONE, 2, checkout).isEmpty(),
                    "nothing is left to submit");
        }
        double slurmSeconds = (System.nanoTime() - slurmStart) / 1e9;

        long localStart = System.nanoTime();
        Sweep local = Sweep.of(e, root.resolve("local"), false);
        Sweep.Outcome outcome = local.run(Backend.auto(), SchedulerBuild.ofCheckout().gitCommit(), new PrintedProgress(System.out));
        double localSeconds = (System.nanoTime() - localStart) / 1e9;
        assertEquals(0, outcome.missing(), "the local run stored every cell");
        System.out.printf("slurm-ci: %d cells through Slurm (jobs %s, one task cancelled and resubmitted) in %.0f s; locally in %.0f s%n",
                local.plan().size(), jobs, slurmSeconds, localSeconds);

        Sweep slurmSweep = Sweep.of(e, viaSlurm, true);
        assertEquals(local.stored(), slurmSweep.stored(), "the same cells");
        for (Cell c : local.plan()) {
            Table s = DatasetFile.read(viaSlurm.resolve(e.name()).resolve(c.id() + ".csv"));
            Table l = DatasetFile.read(root.resolve("local").resolve(e.name()).resolve(c.id() + ".csv"));
            assertEquals(coordinates(l), coordinates(s), "cell " + c.id() + "'s coordinates");
            assertEquals(kinds(l), kinds(s), "cell " + c.id() + "'s kinds of rows");
            for (Row r : s) {
                assertEquals(node, r.getString(Column.NODE.label()), "node of a row of " + c.id());
                assertEquals(jobOfCell.get(c.id()), r.getLong(Column.SLURM_JOB_ID.label()), "job of " + c.id());
                assertEquals(taskOfCell.get(c.id()), r.getInt(Column.SLURM_ARRAY_TASK_ID.label()), "task of " + c.id());
            }
            for (Row r : l) assertTrue(r.isMissing(Column.SLURM_JOB_ID.label()) && r.isMissing(Column.SLURM_ARRAY_TASK_ID.label()),
                    "a local row names no Slurm job");
        }
    }

    private static String output(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void record(Submission s, int task, Set<String> stored, Map<String, Integer> taskOfCell, Map<String, Long> jobOfCell,
                               long job) {
        for (String id : s.shard(task)) {
            if (!stored.contains(id)) continue;
            taskOfCell.put(id, task);
            jobOfCell.put(id, job);
        }
    }

    /** What a cell is: the same in any run of the same experiment. */
    private static Map<String, Set<String>> coordinates(Table t) {
        Map<String, Set<String>> m = new TreeMap<>();
        for (Column c : List.of(Column.EXPERIMENT, Column.CELL_ID, Column.REPETITION, Column.SEED, Column.MEASUREMENT, Column.VARIANT,
                Column.BPF_SHA256, Column.WORKLOAD, Column.WORKLOAD_PARAMS, Column.TUNABLES, Column.BACKEND, Column.CLOCK, Column.GIT_COMMIT))
            m.put(c.label(), new TreeSet<>(t.column(c.label()).asStringColumn().asList()));
        return m;
    }

    /** The sources a cell's rows come from: a run's measured quantities, whatever their values. */
    private static Set<String> kinds(Table t) {
        return new HashSet<>(t.stringColumn(Column.SOURCE.label()).asList());
    }

    @Test
    void aConstraintNoNodeHasIsRefusedBySlurmInItsWordsAndLeavesNoSubmission(@TempDir Path root) throws IOException {
        Experiment e = experiment();
        try (LocalCluster cluster = LocalCluster.start()) {
            Sweep sweep = Sweep.of(e, root, false);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SlurmSweep.submit(sweep, cluster.slurm(),
                    SlurmOptions.NONE.withConstraint("gamerlab_no_such_feature"), 2, SchedulerBuild.ofCheckout().root()));
            assertTrue(refused.getMessage().startsWith("Slurm refused the job array for experiment slurm-ci")
                    && refused.getMessage().contains("Invalid feature specification")
                    && refused.getMessage().contains("no node of the cluster has the features of --constraint gamerlab_no_such_feature"),
                    refused.getMessage());
            assertEquals(List.of(), Submission.all(sweep.dataset().dir()));
            assertTrue(SlurmSweep.status(sweep, cluster.slurm()).contains("no submission recorded"));
        }
    }
}
