package io.gamerlab.sched;

import io.gamerlab.util.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

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

    /**
     * The variant's object file, compiled on first demand and cached under a name derived from the
     * scheduler's sources and the variant's flags: an edited source or another variant never
     * reuses a stale object.
     */
    public Path object(Variant variant) {
        Path out = root.resolve("build/bpf");
        Path object = out.resolve("variants").resolve("gamer-" + contentKey(variant) + ".bpf.o");
        if (Files.isRegularFile(object)) return object;
        Path partial = object.resolveSibling(object.getFileName() + ".partial");
        Command.run("building the BPF scheduler variant " + variant, List.of("make", "-s", "-C", root.resolve("bpf").toString(),
                "OUT=" + out, "variant", "VARIANT_CFLAGS=" + String.join(" ", variant.compilerFlags()), "VARIANT_OBJ=" + partial));
        try {
            Files.move(partial, object, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot place the built object " + object, e);
        }
        return object;
    }

    private String contentKey(Variant variant) {
        try (Stream<Path> files = Files.list(root.resolve("bpf"))) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path source : files.filter(p -> p.toString().endsWith(".c") || p.toString().endsWith(".h")
                    || p.getFileName().toString().equals("Makefile")).sorted().toList()) {
                sha.update(source.getFileName().toString().getBytes());
                sha.update(Files.readAllBytes(source));
            }
            sha.update(variant.compilerFlags().toString().getBytes());
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scheduler sources in " + root.resolve("bpf"), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
