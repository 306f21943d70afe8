package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.HostProvenance;
import io.gamerlab.bench.host.HostBench;
import io.gamerlab.bench.host.HostDataset;
import io.gamerlab.bench.host.OptionArgs;
import io.gamerlab.bench.host.TrialSummary;
import io.gamerlab.bench.ringbuf.LatencyConfig.Arrival;
import io.gamerlab.sched.SchedulerBuild;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What batching costs the first event of a batch, in one command: the time from an event's
 * creation in BPF to its availability to a consumer, for batch 1, 8 and 16 of the scheduler's own
 * event path, when bursts fill whole batches (no flush timer), when single events each wait for the
 * flush timer, and when single events come back to back. Distributions per configuration
 * (HdrHistogram), repetitions interleaved in a seeded random order.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar io.gamerlab.bench.ringbuf.LatencyBench [--smoke] [--out FILE]
 *      [--reps R] [--duration S] [--warmup S] [--seed N] [--burst N] [--burst-gap-us U] [--timer-gap-us U] [--flush-ns N]
 * </pre>
 *
 * Writes {@code datasets/ringbuf-latency/<timestamp>-<host>.csv}, its histograms in
 * {@code <same>.hlog} ({@link LatencyLog}), and prints the distributions and what batching adds,
 * from that run. Needs root (BPF) and two CPUs (producer and consumer apart).
 */
public final class LatencyBench {
    static final List<Integer> BATCHES = List.of(1, 8, 16);
    static final List<String> COORDINATES = List.of("variant", "arrival", "events_per_call", "gap_ns", "repetition", "trial");
    static final List<String> COLUMNS = HostDataset.columns(COORDINATES);
    /** The flush interval input_events.bpf.h uses unless told otherwise (input_flush_ns). */
    static final long DEFAULT_FLUSH_NS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int PRODUCER_CPU = 0;

    record Options(boolean smoke, Path out, int repetitions, double durationSeconds, double warmupSeconds, long seed, int burst, long burstGapNs,
                   long timerGapNs, long flushNs) {
        long effectiveFlushNs() {
            return flushNs > 0 ? flushNs : DEFAULT_FLUSH_NS;
        }
    }

    record Outcome(Path dataset, List<LatencyTrial.Result> trials, Options options) {
        List<LatencyTrial.Result> failed() {
            return trials.stream().filter(t -> !t.ok()).toList();
        }
    }

    private LatencyBench() {
    }

    public static void main(String[] args) throws IOException {
        HostBench.main(args, "Runs the first-event latency bench of the BPF event path (root, two CPUs; see the class comment).\n" + USAGE,
                a -> run(a, System.out).failed().isEmpty());
    }

    static Outcome run(String[] args, PrintStream out) throws IOException {
        Path root = HostProvenance.repositoryRoot();
        Options options = parse(args, root);
        HostBench.requireRoot("the latency bench loads BPF");
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2) throw new IllegalStateException("the latency bench runs its producer and its spinning consumer on two CPUs: this JVM sees " + cpus);
        int consumerCpu = cpus - 1;
        List<LatencyConfig> configs = matrix(options);
        List<HostBench.Planned<LatencyConfig>> plan = HostBench.plan(configs, options.repetitions(), options.seed());
        HostProvenance host = HostProvenance.here(root);
        HostDataset.RunInfo info = HostDataset.RunInfo.startingNow(host);
        Trial.Timing timing = new Trial.Timing(HostBench.nanos(options.warmupSeconds()), HostBench.nanos(options.durationSeconds()), TimeUnit.SECONDS.toNanos(5));
        out.printf(Locale.ROOT, "gamerlab first-event latency bench (%s): %d configs (batch %s x arrival burst|timer|stream) x %d repetitions = %d trials of %.2f s "
                        + "(+%.2f s warm-up), random order (seed %d); producer on CPU %d, spinning consumer on CPU %d; flush timer %d ns; about %.0f s%n"
                        + "  kernel %s, %s, git %s%n  -> %s%n",
                options.smoke() ? "smoke" : "full", configs.size(), BATCHES, options.repetitions(), plan.size(), options.durationSeconds(),
                options.warmupSeconds(), options.seed(), PRODUCER_CPU, consumerCpu, options.effectiveFlushNs(),
                plan.size() * (options.durationSeconds() + options.warmupSeconds() + 0.2), host.kernel(), host.cpuModel(), host.gitCommit(), options.out());

        SchedulerBuild build = new SchedulerBuild(root);
        Map<Integer, Path> objects = new LinkedHashMap<>();
        for (LatencyConfig c : configs) objects.computeIfAbsent(c.batch(), b -> build.benchObject(Trial.TRIGGER, c.flags()));

        Map<String, String> settings = HostDataset.runSettings(options.smoke(), options.seed(), options.repetitions(), options.durationSeconds(),
                options.warmupSeconds());
        settings.put("cpus", Integer.toString(cpus));
        settings.put("producer_cpu", Integer.toString(PRODUCER_CPU));
        settings.put("consumer_cpu", consumerCpu + " (Java mmap consumer, spinning: never waits in epoll)");
        settings.put("input_flush_ns", options.flushNs() > 0 ? Long.toString(options.flushNs()) : "default (" + DEFAULT_FLUSH_NS + ")");
        settings.put("program", ProducerOnlyTrial.BURST_PROGRAM + " (every arrival: the same per-event path)");
        Path histograms = LatencyLog.beside(options.out());
        settings.put("latency", "consumer's System.nanoTime() on reaching the record - the event's bpf_ktime_get_ns() at creation, ns (both CLOCK_MONOTONIC); "
                + "HdrHistogram 2.2.2, 3 significant digits");
        settings.put("histogram_log", histograms.getFileName() + " (HdrHistogram log beside this file; each latency.<kind>.hdr row's note is its tag)");
        objects.forEach((batch, object) -> settings.put("object.batch" + batch, object.getFileName().toString()));
        settings.put("planned_trials", Integer.toString(plan.size()));

        List<LatencyTrial.Result> done = new ArrayList<>();
        long start = System.nanoTime();
        try (HostDataset<LatencyTrial.Result> dataset = HostDataset.create(options.out(), info, COORDINATES, t -> List.of(t.config.variant(),
                t.config.arrival().label(), Integer.toString(t.config.eventsPerCall()), Long.toString(t.config.gapNs()), Integer.toString(t.repetition),
                Integer.toString(t.order)), settings);
             LatencyLog log = LatencyLog.create(histograms, info.startedAt().toEpochMilli())) {
            for (int i = 0; i < plan.size(); i++) {
                LatencyConfig c = plan.get(i).config();
                LatencyTrial.Result r = LatencyTrial.run(c, plan.get(i).repetition(), i, objects.get(c.batch()), timing, cpus, consumerCpu, options.flushNs());
                done.add(r);
                log.append(r);
                dataset.append(r);
                out.println(progress(i, plan.size(), r));
            }
            dataset.complete(done.size(), (System.nanoTime() - start) / 1e9);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        out.println();
        LatencyReport.print(out, done, new TrialSummary<>(done), options.repetitions());
        out.println();
        HostBench.printChecks(out, done, "accounted for every event (produced = received; received = what BPF submitted; no reordering; "
                + "no event seen before it was made)");
        out.printf(Locale.ROOT, "Measured on this host (%s, kernel %s, %d CPUs) in %.0f s; dataset %s%n", host.cpuModel(), host.kernel(), cpus, elapsed,
                options.out());
        return new Outcome(options.out(), List.copyOf(done), options);
    }

    /** Every batch size x every arrival. */
    static List<LatencyConfig> matrix(Options o) {
        List<LatencyConfig> m = new ArrayList<>();
        for (int batch : BATCHES) {
            m.add(new LatencyConfig(batch, Arrival.BURST, o.burst(), o.burstGapNs()));
            m.add(new LatencyConfig(batch, Arrival.TIMER, 1, o.timerGapNs()));
            m.add(new LatencyConfig(batch, Arrival.STREAM, 1, 0));
        }
        return List.copyOf(m);
    }

    private static String progress(int i, int total, LatencyTrial.Result r) {
        String kind = LatencyReport.headline(r.config.arrival());
        return String.format(Locale.ROOT, "  [%3d/%d] %-36s %-6s rep %d: %s p50 %s p99 %s ns (n=%d)  timer records %3.0f%%  other load %3s%%%s",
                i + 1, total, r.config.variant(), r.config.arrival().label(), r.repetition, kind, Ratios.ns(r.get("latency." + kind + ".p50")),
                Ratios.ns(r.get("latency." + kind + ".p99")), (long) r.get("latency." + kind + ".count"), 100 * r.get("consumer.timer_record_share"),
                Ratios.ns(100 * r.get("host.other_busy_share")), r.ok() ? "" : "  FAILED " + r.failures());
    }

    static Options parse(String[] args, Path root) {
        OptionArgs o = OptionArgs.parse(args, Set.of("--smoke", "--full"), Set.of("--out", "--reps", "--duration", "--warmup", "--seed", "--burst",
                "--burst-gap-us", "--timer-gap-us", "--flush-ns"), USAGE);
        boolean smoke = o.has("--smoke") && !o.has("--full");
        long flushNs = o.longInteger("--flush-ns", 0);
        if (flushNs < 0) throw o.problem("--flush-ns must be positive (or 0: the BPF default), not " + flushNs);
        long flush = flushNs > 0 ? flushNs : DEFAULT_FLUSH_NS;
        int burst = o.integer("--burst", 16);
        if (burst < 1 || burst > Producers.MAX_BURST) throw o.problem("--burst takes 1.." + Producers.MAX_BURST + ", not " + burst);
        long burstGap = TimeUnit.MICROSECONDS.toNanos(o.longInteger("--burst-gap-us", 100));
        long timerGap = TimeUnit.MICROSECONDS.toNanos(o.longInteger("--timer-gap-us", TimeUnit.NANOSECONDS.toMicros(2 * flush)));
        if (burstGap <= 0) throw o.problem("--burst-gap-us must be positive");
        if (timerGap <= flush)
            throw o.problem("--timer-gap-us must exceed the flush interval (" + flush + " ns), so each event waits for the timer, not " + timerGap / 1000);
        int reps = o.integer("--reps", smoke ? 1 : 5);
        if (reps < 1) throw o.problem("--reps must be at least 1, not " + reps);
        Path out = o.has("--out") ? Path.of(o.text("--out")) : HostDataset.defaultFile(root, "ringbuf-latency");
        return new Options(smoke, out.toAbsolutePath(), reps, o.decimal("--duration", smoke ? 0.3 : 2.0), o.decimal("--warmup", smoke ? 0.05 : 0.25),
                o.longInteger("--seed", System.nanoTime()), burst, burstGap, timerGap, flushNs);
    }

    static final String USAGE = "usage: LatencyBench [--smoke] [--out FILE] [--reps R] [--duration S] [--warmup S] [--seed N] [--burst N]"
            + " [--burst-gap-us U] [--timer-gap-us U] [--flush-ns N]";
}
