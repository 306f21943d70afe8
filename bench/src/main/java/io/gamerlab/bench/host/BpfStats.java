package io.gamerlab.bench.host;

import io.gamerlab.bpf.BpfRunStats;
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
 * {@code recursion_misses}), which the kernel keeps while statistics are enabled and reports in
 * the fdinfo of the program's fd, as it does in {@code struct bpf_prog_info}.
 *
 * <p>A program's fd is {@link io.gamerlab.bpf.BpfObject#programFd}, or, for an object with exactly
 * one program, the bpf-prog fd this process gained while the object loaded ({@link #newProgramFd}).
 * Stats cost two clock reads per program run, on every run while enabled: the same for a baseline
 * as for the measured runs.
 */
public final class BpfStats {
    /** The global switch, which the benches read (to record it) and never write. */
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
     * The statistics on for a run, until {@link #close()}: through the fd-scoped
     * {@code BPF_ENABLE_STATS} ({@link BpfRunStats}), so that a bench that is killed leaves
     * nothing on; the global sysctl is left as it was.
     */
    public static final class Enabled implements AutoCloseable {
        private final String previous;
        private final BpfRunStats stats;

        private Enabled(String previous, BpfRunStats stats) {
            this.previous = previous;
            this.stats = stats;
        }

        /** The global sysctl before the run (its text, e.g. "0"), which this did not change. */
        public String previous() {
            return previous;
        }

        @Override
        public void close() {
            stats.close();
        }
    }

    /** Turns the statistics on until the result is closed (needs root). */
    public static Enabled enableForRun() {
        String previous;
        try {
            previous = Files.readString(SYSCTL).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SYSCTL, e);
        }
        return new Enabled(previous, BpfRunStats.enable());
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
