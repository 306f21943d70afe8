package io.gamerlab.sched;

import io.gamerlab.util.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Builds BPF objects from bpf/ with the project's Makefile: the scheduler per variant, and the host
 * bench programs of bpf/bench/ per set of -D flags, each cached by the content of its sources.
 */
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
        return scheduler(variant.compilerFlags(), "variants", "building the BPF scheduler variant " + variant);
    }

    /** The variant with a deliberate defect built in, cached apart from the variants. */
    public Path object(Variant variant, Fault fault) {
        List<String> flags = new ArrayList<>(variant.compilerFlags());
        flags.add("-D" + fault.macro());
        return scheduler(flags, "faults", "building the BPF scheduler variant " + variant + " with fault " + fault);
    }

    private Path scheduler(List<String> flags, String dir, String why) {
        Path bpf = root.resolve("bpf");
        List<Path> sources = filesIn(bpf, p -> p.endsWith(".c") || p.endsWith(".h") || p.equals("Makefile"));
        return built("gamer", sources, flags, dir, List.of("variant"), why);
    }

    /**
     * A host bench program, {@code bpf/bench/<name>.bpf.c}, built with these -D flags by
     * {@code make bench-variant} and cached like a variant, under build/bpf/bench, by its source,
     * the headers it may include and the flags.
     */
    public Path benchObject(String name, List<String> flags) {
        Path bpf = root.resolve("bpf");
        Path source = bpf.resolve("bench").resolve(name + ".bpf.c");
        if (!Files.isRegularFile(source)) {
            List<String> names = filesIn(bpf.resolve("bench"), p -> p.endsWith(".bpf.c")).stream()
                    .map(p -> p.getFileName().toString().replace(".bpf.c", "")).toList();
            throw new IllegalArgumentException("no bench program " + source + ": name one of bpf/bench/*.bpf.c, without .bpf.c: " + names);
        }
        List<Path> sources = new ArrayList<>(filesIn(bpf, p -> p.endsWith(".h") || p.equals("Makefile")));
        sources.addAll(filesIn(bpf.resolve("bench"), p -> p.endsWith(".h")));
        sources.add(source);
        return built(name, sources, flags, "bench", List.of("bench-variant", "BENCH=" + name),
                "building the bench program " + name + " with " + flags);
    }

    /**
     * build/bpf/{@code dir}/{@code name}-{@code key}.bpf.o, made by {@code makeGoal} with these flags
     * unless it is there already; the key is a hash of the sources and flags.
     */
    private Path built(String name, List<Path> sources, List<String> flags, String dir, List<String> makeGoal, String why) {
        Path out = root.resolve("build/bpf");
        Path object = out.resolve(dir).resolve(name + "-" + contentKey(sources, flags) + ".bpf.o");
        if (Files.isRegularFile(object)) return object;
        // Per process, so two JVMs building the same object at once do not write one file.
        Path partial = object.resolveSibling(object.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        List<String> make = new ArrayList<>(List.of("make", "-s", "-C", root.resolve("bpf").toString(), "OUT=" + out));
        make.addAll(makeGoal);
        make.add("VARIANT_CFLAGS=" + String.join(" ", flags));
        make.add("VARIANT_OBJ=" + partial);
        Command.run(why, make);
        try {
            Files.move(partial, object, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot place the built object " + object, e);
        }
        return object;
    }

    /** The regular files directly in {@code dir} whose names match, sorted (a stable key order). */
    private static List<Path> filesIn(Path dir, Predicate<String> name) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Files.isRegularFile(p) && name.test(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the BPF sources in " + dir, e);
        }
    }

    private String contentKey(List<Path> sources, List<String> flags) {
        Path bpf = root.resolve("bpf");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path source : sources) {
                sha.update(bpf.relativize(source).toString().getBytes());
                sha.update(Files.readAllBytes(source));
            }
            sha.update(flags.toString().getBytes());
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the BPF sources in " + bpf, e);
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
