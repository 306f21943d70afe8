package io.gamerlab.cli;

import io.gamerlab.analysis.Charts;
import io.gamerlab.experiment.Backend;
import io.gamerlab.experiment.Dataset;
import io.gamerlab.experiment.HostBackend;
import io.gamerlab.experiment.Quickstart;
import io.gamerlab.experiment.RunResult;
import io.gamerlab.experiment.RunSpec;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import io.gamerlab.util.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

/**
 * The quickstart experiment: the baseline scheduler and the kernel's own ({@code kernel-default})
 * under the game-loop workload, on the host where it has sched_ext and in the guest otherwise (one
 * boot for both); leaves their tables and a chart of the wake-up-to-running wait per role in
 * datasets/quickstart/.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Runs the baseline scheduler and the kernel's own under the game-loop workload and keeps their tables and a chart"
                + " of the wake-up-to-running wait per role in datasets/quickstart/.")
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
        List<RunSpec> specs = Quickstart.specs(Duration.ofSeconds(seconds), checkout.gitCommit());
        System.out.println("quickstart: running " + Variant.BASELINE.label() + " and kernel-default for " + seconds + " s each on "
                + backend.name() + HostBackend.whyUnavailable().map(why -> " (not on the host: " + why + ")").orElse(""));
        long start = System.nanoTime();
        List<RunResult> results = backend.runAll(specs);
        Dataset dataset = new Dataset(checkout.root().resolve("datasets").resolve(Quickstart.EXPERIMENT));
        List<Path> csvs = new ArrayList<>();
        for (RunResult result : results) {
            csvs.add(dataset.add(result.table()));
            System.out.println(result.table().selectColumns("variant", "source", "metric", "unit", "value", "status", "note").printAll());
            System.out.printf("quickstart: %s: sched_ext was %s with ops '%s' during the run, %s after%n",
                    result.table().stringColumn("variant").get(0), result.stateDuring(), result.opsDuring(), result.stateAfter());
        }
        Table both = Quickstart.joined(results);
        Path png = Charts.savePng(Charts.quickstart(both, backend.name()), csvs.getFirst().resolveSibling(specs.getFirst().runId() + ".png"));
        System.out.printf("quickstart: backend %s, clock %s, kernel %s; %.1f s wall%n", both.stringColumn("backend").get(0),
                both.stringColumn("clock").get(0), both.stringColumn("kernel").get(0), (System.nanoTime() - start) / 1e9);
        for (Path csv : csvs) System.out.println("quickstart: table " + csv);
        System.out.println("quickstart: chart " + png);
        return 0;
    }
}
