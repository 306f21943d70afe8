package io.gamerlab.bench.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * BPF's own run-time statistics of a program: {@code run_time_ns} and {@code run_cnt} (and
 * {@code recursion_misses}), which the kernel keeps while {@code kernel.bpf_stats_enabled} is 1
 * and reports in the fdinfo of the program's fd, as it does in {@code struct bpf_prog_info}.
 *
 * <p>A program's fd is {@link io.gamerlab.bpf.BpfObject#programFd}, or, for an object with exactly
 * one program, the bpf-prog fd this process gained while the object loaded ({@link #newProgramFd}).
 * Stats cost two clock reads per program run, on every run while enabled: the same for a baseline
 * as for the measured runs.
 */
public final class BpfStats {
    public static final Path SYSCTL = Path.of("/proc/sys/kernel/bpf_stats_enabled");
    private static final String PROG_LINK = "anon_inode:bpf-prog";

    /** One reading of a program's counters. */
    public record Reading(long runTimeNs, long runCount, long recursionMisses, long programId) {
        public Reading minus(Reading earlier) {
            return new Reading(runTimeNs - earlier.runTimeNs, runCount - earlier.runCount, recursionMisses - earlier.recursionMisses, programId);
        }

        public double nsPerRun() {
            return runCount == 0 ? Double.NaN : (double) runTimeNs / runCount;
        }
    }

    private BpfStats() {
    }

    /**
     * The statistics on for a run: {@code kernel.bpf_stats_enabled} is 1 until {@link #close()},
     * then what it was; a shutdown hook restores it if the JVM exits first.
     */
    public static final class Enabled implements AutoCloseable {
        private final String previous;
        private final Thread restore;

        private Enabled(String previous) {
            this.previous = previous;
            this.restore = new Thread(() -> BpfStats.restore(previous), "restore-bpf-stats");
            Runtime.getRuntime().addShutdownHook(restore);
        }

        /** The setting before the run (its text, e.g. "0"). */
        public String previous() {
            return previous;
        }

        @Override
        public void close() {
            BpfStats.restore(previous);
            try {
                Runtime.getRuntime().removeShutdownHook(restore);
            } catch (IllegalStateException shuttingDown) {
                // the hook restores it
            }
        }
    }

    /** Turns the statistics on until the result is closed. */
    public static Enabled enableForRun() {
        return new Enabled(enable());
    }

    /** Turns the statistics on; returns the setting to restore (its text, e.g. "0"). */
    public static String enable() {
        try {
            String previous = Files.readString(SYSCTL).trim();
            Files.writeString(SYSCTL, "1");
            if (!Files.readString(SYSCTL).trim().equals("1")) throw new IllegalStateException(SYSCTL + " did not take 1");
            return previous;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot enable BPF run-time statistics through " + SYSCTL + " (needs root)", e);
        }
    }

    public static void restore(String previous) {
        try {
            Files.writeString(SYSCTL, previous);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + SYSCTL + " to " + previous, e);
        }
    }

    /** This process's fds that are BPF programs. */
    public static Set<Integer> programFds() {
        Set<Integer> fds = new TreeSet<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                try {
                    if (Files.readSymbolicLink(entry).toString().equals(PROG_LINK)) fds.add(Integer.parseInt(entry.getFileName().toString()));
                } catch (IOException | NumberFormatException gone) {
                    // an fd closed while listing (the listing's own, or another thread's)
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fds;
    }

    /** The one program fd in {@code after} that was not in {@code before}. */
    public static int newProgramFd(Set<Integer> before, Set<Integer> after) {
        Set<Integer> added = new TreeSet<>(after);
        added.removeAll(before);
        if (added.size() != 1) throw new IllegalStateException("expected one new BPF program fd after load, found " + added);
        return added.iterator().next();
    }

    public static Reading read(int programFd) {
        Map<String, Long> fields = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + programFd))) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String value = line.substring(colon + 1).trim();
                try {
                    fields.put(line.substring(0, colon).trim(), Long.parseLong(value));
                } catch (NumberFormatException notNumeric) {
                    // prog_tag and the like
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String f : new String[] {"run_time_ns", "run_cnt", "prog_id"}) {
            if (!fields.containsKey(f)) throw new IllegalStateException("fdinfo of BPF program fd " + programFd + " has no " + f + ": " + fields.keySet());
        }
        return new Reading(fields.get("run_time_ns"), fields.get("run_cnt"), fields.getOrDefault("recursion_misses", 0L), fields.get("prog_id"));
    }
}
