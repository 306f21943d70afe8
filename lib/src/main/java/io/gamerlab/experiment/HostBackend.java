package io.gamerlab.experiment;

import io.gamerlab.sched.SchedExtState;
import io.gamerlab.sched.SchedExtUnavailableException;
import io.gamerlab.sched.SchedulerBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Runs on the kernel this JVM runs on: real hardware and real timings, where sched_ext exists. */
public final class HostBackend implements Backend {

    /** The clock of every row this backend produces: real time on real hardware. */
    public static final String CLOCK = "host";

    /** CAP_SYS_ADMIN (21) is what attaching a struct_ops scheduler asks for. */
    private static final int CAP_SYS_ADMIN = 21;

    private final SchedulerBuild build = SchedulerBuild.ofCheckout();

    @Override
    public String name() {
        return "host";
    }

    @Override
    public String clock() {
        return CLOCK;
    }

    @Override
    public RunResult run(RunSpec spec) throws InterruptedException {
        whyUnavailable().ifPresent(reason -> {
            throw new SchedExtUnavailableException(reason);
        });
        return Run.execute(spec, build.object(spec.variant()), name(), clock());
    }

    /** Empty where this host can run our scheduler; otherwise what it lacks and what to do. */
    public static Optional<String> whyUnavailable() {
        if (!SchedExtState.kernelHasSchedExt())
            return Optional.of("the host kernel " + System.getProperty("os.version")
                    + " has no sched_ext (needs Linux >= 6.12 with CONFIG_SCHED_CLASS_EXT=y); the guest backend boots one");
        if (!hasCapability(CAP_SYS_ADMIN))
            return Optional.of("this process lacks CAP_SYS_ADMIN, which loading a sched_ext scheduler needs: run as root");
        return Optional.empty();
    }

    private static boolean hasCapability(int cap) {
        try (var lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("CapEff:")).findFirst()
                    .map(l -> (Long.parseUnsignedLong(l.substring(7).trim(), 16) >>> cap & 1) == 1).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }
}
