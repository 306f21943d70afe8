package io.gamerlab.cli;

import io.gamerlab.cluster.Submission;
import io.gamerlab.experiment.Experiment;
import io.gamerlab.experiment.ExperimentFile;
import io.gamerlab.experiment.PrintedProgress;
import io.gamerlab.experiment.Sweep;
import io.gamerlab.sched.SchedulerBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * One task of a job array that {@code run --slurm} submitted (its job script runs this): the
 * shard of cells numbered by {@code SLURM_ARRAY_TASK_ID}, of the experiment the dataset holds,
 * on the backend that the experiment's choice picks on this node.
 */
@Command(name = "slurm-task", hidden = true, description = "Runs one task's shard of a Slurm submission (its job script calls this).")
final class SlurmTaskCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SUBMISSION", description = "the submission's directory, datasets/<name>/slurm/<id>")
    Path submissionDir;

    @Override
    public Integer call() throws Exception {
        String index = System.getenv("SLURM_ARRAY_TASK_ID");
        if (index == null || !index.matches("[0-9]{1,9}"))
            throw new IllegalStateException("SLURM_ARRAY_TASK_ID is '" + index + "': slurm-task runs as a task of a Slurm job array");
        Submission submission = Submission.read(submissionDir);
        List<String> shard = submission.shard(Integer.parseInt(index));
        Path dataset = submissionDir.toAbsolutePath().getParent().getParent();
        Path stored = dataset.resolve(Sweep.EXPERIMENT_FILE);
        Experiment experiment = ExperimentFile.parse(submission.experiment(), Files.readAllBytes(stored), stored.toString());
        Sweep sweep = Sweep.of(experiment, dataset.getParent(), true);
        var backend = Where.valueOf(experiment.backend()).backend();
        System.out.printf(Locale.ROOT, "slurm-task: task %s of job %s on %s: %d cells of %s on backend %s%n", index,
                System.getenv("SLURM_ARRAY_JOB_ID"), System.getenv("SLURMD_NODENAME"), shard.size(), experiment.name(), backend.name());
        Sweep.Outcome o = sweep.runShard(backend, SchedulerBuild.ofCheckout().gitCommit(), new PrintedProgress(System.out), shard);
        System.out.printf(Locale.ROOT, "slurm-task: %d cells ran (%d failed, %d stored meanwhile by another task) in %.1f s; %d of its %d cells"
                + " still without a result%n", o.ran(), o.failed(), o.duplicates(), o.wall().toMillis() / 1e3, o.missing(), shard.size());
        return o.failed() > 0 || o.missing() > 0 ? Gamerlab.FAILED : 0;
    }
}
