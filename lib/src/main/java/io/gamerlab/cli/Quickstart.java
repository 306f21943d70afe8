package io.gamerlab.cli;

import io.gamerlab.analysis.Charts;
import io.gamerlab.experiment.Backend;
import io.gamerlab.experiment.Dataset;
import io.gamerlab.experiment.GuestBackend;
import io.gamerlab.experiment.HostBackend;
import io.gamerlab.experiment.RunResult;
import io.gamerlab.experiment.RunSpec;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The quickstart experiment: one run of the baseline scheduler under the game-loop workload, on
 * the host where it has sched_ext and in the guest otherwise; leaves the table and a chart in
 * datasets/quickstart/. Usage: {@code Quickstart [auto|host|guest] [seconds]}.
 */
public final class Quickstart {

    private Quickstart() { }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "auto";
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        Backend backend = switch (which) {
            case "auto" -> Backend.auto();
            case "host" -> new HostBackend();
            case "guest" -> GuestBackend.standard();
            default -> throw new IllegalArgumentException("backend must be auto, host or guest; was '" + which + "'");
        };
        SchedulerBuild checkout = SchedulerBuild.ofCheckout();
        RunSpec spec = RunSpec.of(Variant.BASELINE, duration, checkout.gitCommit());
        System.out.println("quickstart: running " + spec.variant().label() + " for " + duration.toSeconds() + " s on " + backend.name()
                + HostBackend.whyUnavailable().map(why -> " (not on the host: " + why + ")").orElse(""));
        long start = System.nanoTime();
        RunResult result = backend.run(spec);
        Dataset dataset = new Dataset(checkout.root().resolve("datasets/quickstart"));
        Path csv = dataset.add(result);
        Path png = Charts.savePng(Charts.metrics(result.table(), "scheduler", "count",
                "What the scheduler did (" + backend.name() + ")"), csv.resolveSibling(spec.runId() + ".png"));
        System.out.println(result.table().selectColumns("source", "metric", "unit", "value", "status", "note").printAll());
        System.out.printf("quickstart: backend %s, clock %s, kernel %s%n", result.table().stringColumn("backend").get(0),
                result.table().stringColumn("clock").get(0), result.table().stringColumn("kernel").get(0));
        System.out.printf("quickstart: sched_ext was %s with ops '%s' during the run, %s after; %.1f s wall%n",
                result.stateDuring(), result.opsDuring(), result.stateAfter(), (System.nanoTime() - start) / 1e9);
        System.out.println("quickstart: table " + csv);
        System.out.println("quickstart: chart " + png);
    }
}
