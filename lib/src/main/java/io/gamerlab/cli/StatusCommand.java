package io.gamerlab.cli;

import io.gamerlab.cluster.Slurm;
import io.gamerlab.cluster.SlurmSweep;
import io.gamerlab.experiment.Experiment;
import io.gamerlab.experiment.ExperimentFile;
import io.gamerlab.experiment.Sweep;
import io.gamerlab.sched.SchedulerBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gamerlab status experiments/<name>}: what the dataset holds, and the state of its Slurm job. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows an experiment's cells done, failed and pending, from its dataset; and when its cells were submitted to Slurm,"
                + " each task's state (why it waits, where it runs, how it ended) beside the cells it has stored."})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "EXPERIMENT", description = "the experiment file, e.g. experiments/ringbuf-single-writer(.toml)")
    Path experimentFile;

    @Option(names = "--datasets", paramLabel = "DIR", description = "where datasets are (default: datasets/ in the checkout)")
    Path datasets;

    @Override
    public Integer call() throws Exception {
        Experiment experiment = ExperimentFile.read(experimentFile);
        Path root = datasets != null ? datasets : SchedulerBuild.ofCheckout().root().resolve("datasets");
        // The dataset's own copy, which a run with --backend may have made differ from the file.
        Path stored = root.resolve(experiment.name()).resolve(Sweep.EXPERIMENT_FILE);
        if (Files.isRegularFile(stored)) experiment = ExperimentFile.parse(experiment.name(), Files.readAllBytes(stored), stored.toString());
        spec.commandLine().getOut().print(SlurmSweep.status(Sweep.of(experiment, root, true), Slurm.fromEnvironment()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
