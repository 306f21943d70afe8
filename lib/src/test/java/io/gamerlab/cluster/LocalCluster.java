package io.gamerlab.cluster;

import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.util.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one-node Slurm cluster of scripts/slurm-local.sh, for a test: brought up if it is not, and
 * torn down afterwards only if this test brought it up (a cluster someone started stays).
 */
final class LocalCluster implements AutoCloseable {

    private final Path script;
    private final boolean startedHere;

    private LocalCluster(Path script, boolean startedHere) {
        this.script = script;
        this.startedHere = startedHere;
    }

    static LocalCluster start() {
        Path script = SchedulerBuild.ofCheckout().root().resolve("scripts/slurm-local.sh");
        boolean up = isUp(script);
        if (!up) Command.run("bringing up the local Slurm cluster", List.of("bash", script.toString(), "up"));
        return new LocalCluster(script, !up);
    }

    private static boolean isUp(Path script) {
        try {
            return new ProcessBuilder("bash", script.toString(), "status").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    Path conf() {
        return script.getParent().getParent().resolve("build/slurm/slurm.conf");
    }

    Slurm slurm() {
        return Slurm.withConfig(conf());
    }

    boolean startedHere() {
        return startedHere;
    }

    /** Whether the daemons run (the script's own check of its pid files and processes). */
    boolean running() {
        return isUp(script);
    }

    @Override
    public void close() {
        if (startedHere) Command.run("tearing down the local Slurm cluster", List.of("bash", script.toString(), "down"));
    }
}
