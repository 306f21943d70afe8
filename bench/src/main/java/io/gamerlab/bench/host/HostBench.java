package io.gamerlab.bench.host;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine;

/** What the host-kernel benches' command lines share: how they end, and what they need of the machine. */
public final class HostBench {

    /** One trial of a run's plan: its configuration and which repetition of it this is (0, 1, ...). */
    public record Planned<C>(C config, int repetition) {
    }

    private HostBench() {
    }

    /**
     * Every configuration {@code repetitions} times, in a random order drawn from {@code seed} (so a
     * recorded seed gives the same order again), each trial numbered by its configuration's repetition.
     */
    public static <C> List<Planned<C>> plan(List<C> configs, int repetitions, long seed) {
        List<C> order = new ArrayList<>();
        for (int rep = 0; rep < repetitions; rep++) order.addAll(configs);
        Collections.shuffle(order, new Random(seed));
        Map<C, Integer> seen = new HashMap<>();
        List<Planned<C>> plan = new ArrayList<>();
        for (C c : order) plan.add(new Planned<>(c, seen.merge(c, 1, Integer::sum) - 1));
        return List.copyOf(plan);
    }

    /** A bench's command line (a picocli command): the options it was given, with a repository root for the defaults. */
    public interface CommandLineOptions<O> {
        O options(Path root);
    }

    /** The options {@code args} give, as {@code line} reads them; a bad one is a {@link CommandLine.ParameterException}. */
    public static <O> O parse(CommandLineOptions<O> line, String[] args, Path root) {
        new CommandLine(line).parseArgs(args);
        return line.options(root);
    }

    /** Exit status of a run some of whose trials failed their checks. */
    public static final int TRIALS_FAILED = 2;

    /**
     * A bench's main(): runs {@code command} (a picocli command whose call() returns
     * {@link #TRIALS_FAILED} when trials failed their checks, else 0) with the conventions of every
     * gamerlab command: {@code --help}; a bad option gets its message and the usage, exit 64; bad
     * data (a run to resume that does not match) exit 65; anything else that failed (not root, a
     * full disk) its message, exit 1; only a defect shows a stack trace.
     */
    public static void main(Object command, String[] args) {
        System.exit(execute(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** {@link #main} without exiting: the exit status. */
    public static int execute(Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(command).setOut(out).setErr(err);
        cli.setParameterExceptionHandler((e, given) -> {
            err.println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            e.getCommandLine().usage(err);
            return 64;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                err.println(e.getMessage());
                return 65;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalStateException) {
                err.println(e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** Throws unless this process runs as root (effective uid 0); {@code why} says what needs it. */
    public static void requireRoot(String why) throws IOException {
        if (!isRoot()) throw new IllegalStateException(why + ": run it as root");
    }

    /** This process's effective uid is 0 (from /proc/self/status). */
    public static boolean isRoot() throws IOException {
        return Files.readString(Path.of("/proc/self/status")).lines().anyMatch(line -> line.matches("Uid:\\s+\\d+\\s+0\\s.*"));
    }

    /**
     * The run's verdict: "Checks: all N trials {@code whatEachDid}." when every trial passed its
     * checks, else each failed trial with its failed checks.
     */
    public static void printChecks(PrintStream out, List<? extends TrialMetrics<?>> trials, String whatEachDid) {
        List<? extends TrialMetrics<?>> failed = trials.stream().filter(t -> !t.ok()).toList();
        if (failed.isEmpty()) {
            out.printf(Locale.ROOT, "Checks: all %d trials %s.%n", trials.size(), whatEachDid);
        } else {
            out.printf(Locale.ROOT, "Checks: %d of %d trials FAILED:%n", failed.size(), trials.size());
            for (TrialMetrics<?> t : failed) out.println("  " + t + ": " + t.failures());
        }
    }

    /** Seconds as nanoseconds, rounded. */
    public static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }
}
