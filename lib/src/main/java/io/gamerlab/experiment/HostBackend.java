package io.gamerlab.experiment;

import io.gamerlab.sched.SchedExtUnavailableException;
import io.gamerlab.sched.Scheduler;
import io.gamerlab.sched.SchedulerBuild;
import java.util.List;
import java.util.Optional;

/** Runs on the kernel this JVM runs on: real hardware and real timings, where sched_ext exists. */
public final class HostBackend implements Backend {

    /** The clock of every row this backend produces: real time on real hardware. */
    public static final String CLOCK = "host";

    private final SchedulerBuild build = SchedulerBuild.ofCheckout();

    @Override
    public String name() {
        return "host";
    }

    /** A variant needs {@link #whyUnavailable()} empty; kernel-default runs on any Linux host, sched_ext or not. */
    @Override
    public String clock() {
        return CLOCK;
    }

    @Override
    public RunResult run(RunSpec spec) throws InterruptedException {
        if (spec.variant().isKernelDefault()) return Run.execute(spec, null, name(), "host");
        whyUnavailable().ifPresent(reason -> {
            throw new SchedExtUnavailableException(reason);
        });
        return Run.execute(spec, build.object(spec.variant()), name(), clock());
    }

    /** Empty where this host can run our scheduler; otherwise what it lacks and what to do. */
    public static Optional<String> whyUnavailable() {
        List<String> missing = Scheduler.missingRequirements();
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join("; and ", missing));
    }
}
