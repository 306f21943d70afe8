package io.gamerlab.sched;

import io.gamerlab.util.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds a variant's BPF object from bpf/ with the project's Makefile (make is incremental). */
public final class SchedulerBuild {

    private final Path root;

    public SchedulerBuild(Path root) {
        if (!Files.isRegularFile(root.resolve("bpf/gamer.bpf.c")))
            throw new IllegalArgumentException(root + " is not a gamerlab checkout (no bpf/gamer.bpf.c)");
        this.root = root;
    }

    /** The checkout found from system property {@code gamerlab.root}, env GAMERLAB_ROOT, or the working directory up. */
    public static SchedulerBuild ofCheckout() {
        String configured = System.getProperty("gamerlab.root", System.getenv("GAMERLAB_ROOT"));
        if (configured != null) return new SchedulerBuild(Path.of(configured).toAbsolutePath());
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isRegularFile(p.resolve("bpf/gamer.bpf.c"))) return new SchedulerBuild(p);
        throw new IllegalStateException("cannot find the gamerlab checkout from " + Path.of("").toAbsolutePath()
                + ": set -Dgamerlab.root or GAMERLAB_ROOT");
    }

    public Path root() {
        return root;
    }

    /** Compiles (if stale) and returns the variant's object file. */
    public Path object(Variant variant) {
        Path out = root.resolve("build/bpf");
        Command.run("building the BPF scheduler", List.of("make", "-s", "-C", root.resolve("bpf").toString(), "OUT=" + out));
        return out.resolve(variant.objectName());
    }

    /** The checkout's commit, with {@code -dirty} when it has uncommitted changes; "unknown" without git. */
    public String gitCommit() {
        try {
            return Command.run("reading the git commit",
                    List.of("git", "-C", root.toString(), "describe", "--always", "--dirty", "--abbrev=12")).trim();
        } catch (IllegalStateException notAGitCheckout) {
            return "unknown";
        }
    }
}
