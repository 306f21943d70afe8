package io.gamerlab.workload;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.gamerlab.sched.Role;
import io.gamerlab.sched.RoleRegistry;
import io.gamerlab.util.CacheSizes;
import io.gamerlab.util.Histograms;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Cold caches against warm ones, in one run: a probe thread wakes every {@code period} (at
 * absolute deadlines, see {@link Periodic}) and walks its working set once, line by line in a
 * random cycle (each 64-byte line holds the index of the next, so every step is a dependent load
 * that a prefetcher cannot guess). How late it woke and how long the walk took are kept apart by
 * when the wake-up was due:
 * <ul>
 *   <li>{@code cold_start}: the first {@code window} of the run. A run starts right after its
 *       scheduler attached, so this is the first window after the attach (under
 *       {@code kernel-default}, the same window with nothing attached: the control);</li>
 *   <li>{@code flushing}: while a flusher thread (declared {@code NONE}) streams a buffer of
 *       {@code llc_multiple} times the last-level cache, every {@code flush_every};</li>
 *   <li>{@code after_flush}: the {@code window} after each such pass ended;</li>
 *   <li>{@code warm}: everything else, the steady state.</li>
 * </ul>
 * The probe is the game's (declared {@code GAME}). Each phase reports its wake-ups, wake-up
 * lateness and walk time (p50/p99/p99.9/max). The lateness is the scheduler's part: its wake-up
 * path touching task and CPU contexts that the attach created or the flush evicted (what the
 * seed's prefetching proposal is about); the walk is the workload's own data, written just before
 * the run starts (so warm at the start, cold only after a flush). Under TCG the guest has no cache
 * timing to speak of: the phases separate there, but their difference means something only on
 * real hardware.
 */
public final class ColdCacheWorkload implements Workload {

    public static final Parameter<Duration> PERIOD = Parameter.duration("period",
            "how often the probe wakes and walks its working set", "5ms", "100us", "1s");
    public static final Parameter<Long> WORKING_SET = Parameter.bytes("working_set",
            "memory the probe walks at each wake-up", "1MiB", "64KiB", "256MiB");
    public static final Parameter<Duration> WINDOW = Parameter.duration("window",
            "how long after the start, and after each flush, counts as cold", "200ms", "1ms", "60s");
    public static final Parameter<Duration> FLUSH_EVERY = Parameter.duration("flush_every",
            "time between flushes (0s: none); longer than window", "1s", "0s", "3600s");
    public static final Parameter<Integer> LLC_MULTIPLE = Parameter.count("llc_multiple",
            "the flush buffer's size in multiples of the last-level cache", 4, 2, 64);

    public static final WorkloadKind KIND = new WorkloadKind("coldcache",
            "a probe walking its working set: the first window after attach and after cache flushes, apart from the warm steady state",
            List.of(PERIOD, WORKING_SET, WINDOW, FLUSH_EVERY, LLC_MULTIPLE), ColdCacheWorkload::check, ColdCacheWorkload::new);

    /** When a probe's wake-up was due. */
    enum Phase { COLD_START, FLUSHING, AFTER_FLUSH, WARM;
        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Settings settings;

    private ColdCacheWorkload(Settings settings) {
        this.settings = settings;
    }

    private static void check(Settings s) {
        Duration every = s.get(FLUSH_EVERY);
        if (!every.isZero() && every.compareTo(s.get(WINDOW)) <= 0)
            throw new IllegalArgumentException("coldcache: flush_every=" + s.format(FLUSH_EVERY) + " must be 0s (no flushes) or longer than window="
                    + s.format(WINDOW));
    }

    @Override
    public String name() {
        return settings.text();
    }

    /** Per phase: wake-ups' lateness and walk times. */
    private record Samples(Histogram lateness, Histogram walk) { }

    @Override
    public WorkloadReport run(Duration duration, RoleRegistry roles) throws InterruptedException {
        long window = settings.get(WINDOW).toNanos();
        Duration every = settings.get(FLUSH_EVERY);
        Map<Phase, Samples> samples = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) samples.put(p, new Samples(Histograms.create(), Histograms.create()));
        FlushState flushes = new FlushState();
        try (Arena arena = Arena.ofShared();
             StreamBuffer flushBuffer = every.isZero() ? null : StreamBuffer.llcMultiple(settings.get(LLC_MULTIPLE))) {
            MemorySegment set = randomCycle(arena, settings.get(WORKING_SET));
            Crew crew = new Crew(roles);
            long period = settings.get(PERIOD).toNanos();
            long[] start = {0};  // the probe's schedule starts a period before its first deadline
            long[] at = {0};
            Periodic.Tick probe = deadline -> {
                long woke = System.nanoTime();
                at[0] = walk(set, at[0]);
                long walked = System.nanoTime() - woke;
                if (start[0] == 0) start[0] = deadline - period;
                Samples s = samples.get(flushes.phaseAt(deadline, start[0], window));
                s.lateness().recordValue(woke - deadline);
                s.walk().recordValue(walked);
            };
            crew.add("coldcache-probe", Role.GAME, () -> Periodic.run(settings.get(PERIOD), crew::stopping, probe));
            if (flushBuffer != null) {
                crew.add("coldcache-flusher", Role.NONE, () -> Periodic.run(every, crew::stopping, deadline -> {
                    flushes.begin();
                    flushBuffer.pass(crew::stopping);
                    flushes.end(System.nanoTime());
                }));
            }
            crew.run(duration, () -> { });
            WorkloadReport.Builder report = new WorkloadReport.Builder()
                    .value("working_set_bytes", "bytes", set.byteSize())
                    .value("llc_bytes", "bytes", CacheSizes.ofThisHost().llc())
                    .value("flush_bytes", "bytes", flushBuffer == null ? 0 : flushBuffer.bytes())
                    .count("flushes", flushes.count());
            for (Phase p : Phase.values()) {
                Samples s = samples.get(p);
                report.count(p.key() + "_wakeups", s.lateness().getTotalCount())
                        .latency(p.key() + "_lateness", s.lateness(), "us")
                        .latency(p.key() + "_walk", s.walk(), "us");
            }
            return report.build();
        }
    }

    /** When the latest flush ran; written by the flusher, read by the probe. */
    private static final class FlushState {
        /** One flush: {@code end} is 0 while it runs. */
        private record Flush(long begin, long end) { }

        private volatile Flush last;
        private volatile long count;

        void begin() {
            last = new Flush(System.nanoTime(), 0);
        }

        void end(long now) {
            last = new Flush(last.begin(), now);
            count++;  // one writer
        }

        long count() {
            return count;
        }

        /** The phase of a wake-up due at {@code deadline}, by the latest flush (a late probe may see a newer one: rare). */
        Phase phaseAt(long deadline, long start, long window) {
            if (deadline - start < window) return Phase.COLD_START;
            Flush f = last;
            if (f == null || deadline < f.begin()) return Phase.WARM;
            if (f.end() == 0 || deadline < f.end()) return Phase.FLUSHING;
            return deadline - f.end() < window ? Phase.AFTER_FLUSH : Phase.WARM;
        }
    }

    /** {@code bytes} of lines, each holding the byte offset of the next line of one random cycle through all. */
    private static MemorySegment randomCycle(Arena arena, long bytes) {
        int lines = Math.toIntExact(bytes / StreamBuffer.LINE);
        MemorySegment set = arena.allocate((long) lines * StreamBuffer.LINE, StreamBuffer.LINE);
        int[] order = new int[lines];
        for (int i = 0; i < lines; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(42);
        for (int i = lines - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < lines; i++)
            set.set(JAVA_LONG, (long) order[i] * StreamBuffer.LINE, (long) order[(i + 1) % lines] * StreamBuffer.LINE);
        return set;
    }

    /** One lap of the cycle from {@code from}; returns where it ended (where it started). */
    private static long walk(MemorySegment set, long from) {
        long lines = set.byteSize() / StreamBuffer.LINE;
        long at = from;
        for (long i = 0; i < lines; i++) at = set.get(JAVA_LONG, at);
        return at;
    }
}
