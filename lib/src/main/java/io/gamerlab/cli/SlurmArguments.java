package io.gamerlab.cli;

import io.gamerlab.cluster.Slurm;
import io.gamerlab.cluster.SlurmOptions;
import io.gamerlab.cluster.SlurmSweep;
import io.gamerlab.cluster.Submission;
import io.gamerlab.experiment.Sweep;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code run --slurm}'s options: how many tasks, and what the cluster needs said about them. */
final class SlurmArguments {

    @Option(names = "--tasks", paramLabel = "N", description = "with --slurm: tasks in the array, at most one per cell"
            + " (default: one per " + SlurmSweep.CELLS_PER_TASK + " cells)")
    Integer tasks;

    @Option(names = "--partition", paramLabel = "NAME", description = "with --slurm: the partition (sbatch --partition)")
    String partition;

    @Option(names = "--time", paramLabel = "LIMIT", description = "with --slurm: time limit per task, e.g. 2:00:00 (sbatch --time)")
    String time;

    @Option(names = "--cpus-per-task", paramLabel = "N", description = "with --slurm: CPUs per task (sbatch --cpus-per-task)")
    Integer cpusPerTask;

    @Option(names = "--constraint", paramLabel = "FEATURES", description = "with --slurm: node features, e.g. sched_ext (sbatch --constraint)")
    String constraint;

    @Option(names = "--account", paramLabel = "NAME", description = "with --slurm: the account charged (sbatch --account)")
    String account;

    SlurmOptions options() {
        return SlurmOptions.NONE.withPartition(partition).withTimeLimit(time).withCpusPerTask(cpusPerTask).withConstraint(constraint)
                .withAccount(account);
    }

    /** Refuses cluster options given without --slurm, which would otherwise be silently ignored. */
    void requireUnused() {
        if (tasks != null || !options().equals(SlurmOptions.NONE))
            throw new InvalidInputException("options", "--tasks/--partition/--time/--cpus-per-task/--constraint/--account",
                    "only mean something with --slurm", "--slurm with them, or none of them");
    }

    int submit(Sweep sweep, Path experimentFile, Path checkout, PrintWriter out) throws IOException {
        Slurm.whyUnavailable().ifPresent(why -> {
            throw new IllegalStateException("cannot submit to Slurm: " + why);
        });
        Slurm slurm = Slurm.fromEnvironment();
        Optional<Submission> submitted = SlurmSweep.submit(sweep, slurm, options(), tasks == null ? 0 : tasks, checkout);
        String name = sweep.experiment().name();
        if (submitted.isEmpty()) {
            out.printf(Locale.ROOT, "run: every one of the %d cells of %s is stored in %s; nothing to submit%n", sweep.plan().size(), name,
                    sweep.dataset().dir());
            return 0;
        }
        Submission s = submitted.get();
        int cells = s.tasks().stream().mapToInt(java.util.List::size).sum();
        long job = s.jobId().orElseThrow();
        out.printf(Locale.ROOT, "run: %d missing cells of %s submitted as Slurm job %d, an array of %d tasks on backend %s%n", cells, name, job,
                s.tasks().size(), s.backend());
        out.printf(Locale.ROOT, "run: %s%n", SlurmSweep.sharedFileSystemNote(sweep.dataset().dir(), checkout, slurm));
        out.printf(Locale.ROOT, "run: follow it with: ./gamerlab status %s (or squeue -j %d); each task's output is %s%n", experimentFile, job,
                s.dir().resolve("task-<i>.out"));
        return 0;
    }
}
