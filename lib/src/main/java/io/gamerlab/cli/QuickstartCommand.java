package io.gamerlab.cli;

import io.gamerlab.analysis.Charts;
import io.gamerlab.experiment.Backend;
import io.gamerlab.experiment.Dataset;
import io.gamerlab.experiment.HostBackend;
import io.gamerlab.experiment.RunResult;
import io.gamerlab.experiment.RunSpec;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import io.gamerlab.util.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The quickstart experiment: one run of the baseline scheduler under the game-loop workload, on
 * the host where it has sched_ext and in the guest otherwise; leaves the table and a chart in
 * datasets/quickstart/.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Runs the baseline scheduler under the game-loop workload once and keeps its table and a chart in datasets/quickstart/.")
final class QuickstartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private static final int MAX_SECONDS = 3600;

    @Parameters(index = "0", arity = "0..1", defaultValue = "auto", paramLabel = "WHERE",
            description = "where to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Where where;

    @Parameters(index = "1", arity = "0..1", defaultValue = "10", paramLabel = "SECONDS",
            description = "how long the workload runs, 1 to " + MAX_SECONDS + " (default: ${DEFAULT-VALUE})")
    int seconds;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || seconds > MAX_SECONDS)
            throw new ParameterException(spec.commandLine(),
                    new InvalidInputException("SECONDS", seconds, "is out of range", "a whole number from 1 to " + MAX_SECONDS).getMessage());
        Backend backend = where.backend();
        SchedulerBuild checkout = SchedulerBuild.ofCheckout();
        RunSpec spec = RunSpec.of(Variant.BASELINE, Duration.ofSeconds(seconds), checkout.gitCommit())
                .inExperiment(UUID.randomUUID().toString(), new RunSpec.Place("quickstart", 1, OptionalLong.empty(), true));
        System.out.println("quickstart: running " + spec.variant().label() + " for " + seconds + " s on " + backend.name()
                + HostBackend.whyUnavailable().map(why -> " (not on the host: " + why + ")").orElse(""));
        long start = System.nanoTime();
        RunResult result = backend.run(spec);
        Dataset dataset = new Dataset(checkout.root().resolve("datasets/quickstart"));
        Path csv = dataset.add(result.table());
        Path png = Charts.savePng(Charts.metrics(result.table(), "scheduler", "count",
                "What the scheduler did (" + backend.name() + ")"), csv.resolveSibling(spec.runId() + ".png"));
        System.out.println(result.table().selectColumns("source", "metric", "unit", "value", "status", "note").printAll());
        System.out.printf("quickstart: backend %s, clock %s, kernel %s%n", result.table().stringColumn("backend").get(0),
                result.table().stringColumn("clock").get(0), result.table().stringColumn("kernel").get(0));
        System.out.printf("quickstart: sched_ext was %s with ops '%s' during the run, %s after; %.1f s wall%n",
                result.stateDuring(), result.opsDuring(), result.stateAfter(), (System.nanoTime() - start) / 1e9);
        System.out.println("quickstart: table " + csv);
        System.out.println("quickstart: chart " + png);
        return 0;
    }
}
