package io.gamerlab.bench.host;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** What the host-kernel benches' command lines share: how they end, and what they need of the machine. */
public final class HostBench {

    /** One run of a bench from its arguments; true when every trial passed its checks. */
    @FunctionalInterface
    public interface Run {
        boolean passed(String[] args) throws IOException;
    }

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

    /**
     * A bench's main(): {@code --help} prints {@code help}; bad options (an
     * IllegalArgumentException, whose message says which and shows the usage) exit 64 without a
     * stack trace; a run with failed trials exits 2.
     */
    public static void main(String[] args, String help, Run run) throws IOException {
        if (List.of(args).contains("--help")) {
            System.out.println(help);
            return;
        }
        boolean passed;
        try {
            passed = run.passed(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        if (!passed) System.exit(2);
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
