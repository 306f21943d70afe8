package io.gamerlab.cli;

import io.gamerlab.analysis.MeasurementCost;
import io.gamerlab.analysis.SweepOverhead;
import io.gamerlab.experiment.Backend;
import io.gamerlab.experiment.Experiment;
import io.gamerlab.experiment.ExperimentFile;
import io.gamerlab.experiment.Sweep;
import io.gamerlab.sched.SchedulerBuild;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

/** {@code gamerlab run experiments/<name>}: runs an experiment's missing cells into datasets/<name>/. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs an experiment file's cells in their planned order, each stored in datasets/<name>/ the moment it finishes.",
                "Killed or interrupted, it is resumed with --resume: only the missing cells run.",
                "With --slurm the missing cells go to a Slurm cluster as one job array; gamerlab status follows it."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "EXPERIMENT", description = "the experiment file, e.g. experiments/ringbuf-single-writer(.toml)")
    Path experimentFile;

    @Option(names = "--dry-run", description = "list the cells in the order they would run, and what the dataset holds; run nothing")
    boolean dryRun;

    @Option(names = "--resume", description = "continue a dataset that holds some of this experiment's cells: run only the missing ones")
    boolean resume;

    @Option(names = "--backend", paramLabel = "WHERE", description = "where to run, instead of the file's backend: ${COMPLETION-CANDIDATES}")
    Where backend;

    @Option(names = "--datasets", paramLabel = "DIR", description = "where datasets go (default: datasets/ in the checkout)")
    Path datasets;

    @Option(names = "--slurm", description = "submit the missing cells to Slurm as one job array instead of running them here;"
            + " each task runs its shard on the backend its node picks")
    boolean slurm;

    @Mixin
    SlurmArguments cluster;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Experiment experiment = ExperimentFile.read(experimentFile);
        if (backend != null) experiment = experiment.onBackend(backend.name());
        SchedulerBuild checkout = SchedulerBuild.ofCheckout();
        Path root = datasets != null ? datasets : checkout.root().resolve("datasets");
        Sweep sweep = Sweep.of(experiment, root, resume || dryRun);
        if (dryRun) {
            out.print(sweep.describe());
            out.flush();
            return 0;
        }
        if (slurm) return cluster.submit(sweep, experimentFile, checkout.root(), out);
        cluster.requireUnused();
        Backend where = Where.valueOf(experiment.backend()).backend();
        out.printf(Locale.ROOT, "run: %s, %d cells on %s into %s%n", experiment.name(), sweep.plan().size(), where.name(),
                sweep.dataset().dir());
        out.flush();
        Sweep.Outcome outcome;
        try (ProgressBarProgress progress = new ProgressBarProgress(experiment.name())) {
            outcome = sweep.run(where, checkout.gitCommit(), progress);
        }
        out.printf(Locale.ROOT, "run: %d cells ran (%d failed) in %.1f s; %d of %d cells stored, %d missing; dataset %s%n",
                outcome.ran(), outcome.failed(), outcome.wall().toMillis() / 1e3, sweep.plan().size() - outcome.missing(),
                sweep.plan().size(), outcome.missing(), sweep.dataset().dir());
        if (!sweep.stored().isEmpty()) {
            Table rows = sweep.dataset().table();
            SweepOverhead overhead = SweepOverhead.of(rows);
            if (overhead != null) out.print("run: " + overhead.describe());
            out.print("run: " + MeasurementCost.describe(MeasurementCost.of(rows)));
            out.flush();
        }
        return outcome.failed() > 0 || outcome.missing() > 0 ? Gamerlab.FAILED : 0;
    }
}
