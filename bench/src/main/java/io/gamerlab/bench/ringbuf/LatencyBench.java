package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.HostProvenance;
import io.gamerlab.bench.host.BenchOptions;
import io.gamerlab.bench.host.BenchRun;
import io.gamerlab.bench.host.HostBench;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What batching costs the first event of a batch, in one command: the time from an event's
 * creation in BPF to its availability to a consumer, for batch 1, 8 and 16 of the scheduler's own
 * event path, when bursts fill whole batches (no flush timer), when single events each wait for the
 * flush timer, and when single events come back to back. Distributions per configuration
 * (HdrHistogram), repetitions interleaved in a seeded random order.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar io.gamerlab.bench.ringbuf.LatencyBench [--smoke] [--out DIR | --resume DIR]
 *      [--reps R] [--duration S] [--warmup S] [--seed N] [--burst N] [--burst-gap-us U] [--timer-gap-us U] [--flush-ns N]
 * </pre>
 *
 * Writes the run to {@code datasets/ringbuf-latency/<timestamp>-<host>/} ({@link BenchRun}, one
 * cell per trial, each with its latency histograms as histogram rows) and prints the distributions
 * and what batching adds, from that run. Needs root (BPF) and two CPUs (producer and consumer apart).
 */
public final class LatencyBench {
    static final String BENCH = "ringbuf-latency";
    static final List<Integer> BATCHES = List.of(1, 8, 16);
    /** The flush interval input_events.bpf.h uses unless told otherwise (input_flush_ns). */
    static final long DEFAULT_FLUSH_NS = 1_000_000;
    static final int PRODUCER_CPU = 0;

    record Options(boolean smoke, Path out, boolean resume, int repetitions, double durationSeconds, double warmupSeconds, long seed, int burst,
                   long burstGapNs, long timerGapNs, long flushNs) {
        long effectiveFlushNs() {
            return flushNs > 0 ? flushNs : DEFAULT_FLUSH_NS;
        }
    }

    record Outcome(Path dataset, List<LatencyTrial.Result> trials, Options options) {
        List<LatencyTrial.Result> failed() {
            return trials.stream().filter(t -> !t.ok()).toList();
        }
    }

    /** How trials are named in the dataset: the build as the variant; the arrival, events per call and gap as parameters. */
    private record Naming(Map<Integer, Path> objects) implements BenchRun.Naming<LatencyConfig> {
        @Override
        public String variant(LatencyConfig c) {
            return c.variant();
        }

        @Override
        public Map<String, String> params(LatencyConfig c) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("arrival", c.arrival().label());
            p.put("events_per_call", Integer.toString(c.eventsPerCall()));
            p.put("gap_ns", Long.toString(c.gapNs()));
            return p;
        }

        @Override
        public Path object(LatencyConfig c) {
            return objects.get(c.batch());
        }
    }

    private LatencyBench() {
    }

    public static void main(String[] args) {
        HostBench.main(new Line(), args);
    }

    static Outcome run(Options options, PrintStream out) throws IOException {
        Path root = HostProvenance.repositoryRoot();
        HostBench.requireRoot("the latency bench loads BPF");
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2) throw new IllegalStateException("the latency bench runs its producer and its spinning consumer on two CPUs: this JVM sees " + cpus);
        int consumerCpu = cpus - 1;
        List<LatencyConfig> configs = matrix(options);
        List<HostBench.Planned<LatencyConfig>> plan = HostBench.plan(configs, options.repetitions(), options.seed());
        HostProvenance host = HostProvenance.here(root);
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

        Map<String, String> settings = BenchOptions.runSettings(options.smoke(), options.seed(), options.repetitions(), options.durationSeconds(),
                options.warmupSeconds());
        settings.put("cpus", Integer.toString(cpus));
        settings.put("producer_cpu", Integer.toString(PRODUCER_CPU));
        settings.put("consumer_cpu", consumerCpu + " (Java mmap consumer, spinning: never waits in epoll)");
        settings.put("input_flush_ns", options.flushNs() > 0 ? Long.toString(options.flushNs()) : "default (" + DEFAULT_FLUSH_NS + ")");
        settings.put("program", ProducerOnlyTrial.BURST_PROGRAM + " (every arrival: the same per-event path)");
        settings.put("latency", "consumer's System.nanoTime() on reaching the record - the event's bpf_ktime_get_ns() at creation, ns (both CLOCK_MONOTONIC); "
                + "HdrHistogram 2.2.2, 3 significant digits, each in its trial's " + LatencyTrial.HISTOGRAM + " rows");
        objects.forEach((batch, object) -> settings.put("object.batch" + batch, object.getFileName().toString()));
        settings.put("planned_trials", Integer.toString(plan.size()));

        List<LatencyTrial.Result> done = new ArrayList<>();
        long start = System.nanoTime();
        try (BenchRun<LatencyConfig, LatencyTrial.Result> dataset = BenchRun.start(options.out(), BENCH, plan, options.seed(), settings,
                new Naming(objects), host.gitCommit(), options.resume())) {
            done.addAll(dataset.runPlan(LatencyTrial.Result::new, (c, repetition, i) -> LatencyTrial.run(c, repetition, i, objects.get(c.batch()),
                    timing, cpus, consumerCpu, options.flushNs()), (i, r) -> out.println(progress(i, plan.size(), r))));
            dataset.complete(done, BenchRun.ending(done.size(), (System.nanoTime() - start) / 1e9));
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

    // ---- options ----

    /** The command line: the options every bench takes, and the latency bench's own. */
    @Command(name = "LatencyBench", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Runs the first-event latency bench of the BPF event path (root, two CPUs; see bench/README.md).")
    static final class Line implements Callable<Integer>, HostBench.CommandLineOptions<Options> {
        @Mixin
        BenchOptions common;
        @Option(names = "--burst", paramLabel = "N", description = "Events per call in the burst arrival, 1 to " + Producers.MAX_BURST + " (default: 16).")
        int burst = 16;
        @Option(names = "--burst-gap-us", paramLabel = "U", description = "Microseconds between bursts, above 0 (default: 100).")
        long burstGapUs = 100;
        @Option(names = "--timer-gap-us", paramLabel = "U", description = "Microseconds between single events of the timer arrival, above the flush "
                + "interval so each waits for the timer (default: twice the flush interval).")
        Long timerGapUs;
        @Option(names = "--flush-ns", paramLabel = "N", description = "The flush timer's delay for partial batches, 0 for the BPF default ("
                + DEFAULT_FLUSH_NS + ").")
        long flushNs;

        @Override
        public Options options(Path root) {
            if (flushNs < 0) throw common.usage("--flush-ns", flushNs, "0 (the BPF default) or more");
            long flush = flushNs > 0 ? flushNs : DEFAULT_FLUSH_NS;
            if (burst < 1 || burst > Producers.MAX_BURST) throw common.usage("--burst", burst, "1 to " + Producers.MAX_BURST);
            if (burstGapUs <= 0) throw common.usage("--burst-gap-us", burstGapUs, "microseconds above 0");
            long timerGap = timerGapUs != null ? TimeUnit.MICROSECONDS.toNanos(timerGapUs) : 2 * flush;
            if (timerGap <= flush)
                throw common.usage("--timer-gap-us", timerGap / 1000, "above the flush interval (" + flush + " ns), so each event waits for the timer");
            return new Options(common.smoke(), common.dir(root, BENCH), common.resuming(), common.repetitions(1, 5), common.duration(0.3, 2.0),
                    common.warmup(0.05, 0.25), common.seed(), burst, TimeUnit.MICROSECONDS.toNanos(burstGapUs), timerGap, flushNs);
        }

        @Override
        public Integer call() throws IOException {
            return run(options(HostProvenance.repositoryRoot()), System.out).failed().isEmpty() ? 0 : HostBench.TRIALS_FAILED;
        }
    }

    /** The options {@code args} give, as the command line reads them; a bad one is a {@link picocli.CommandLine.ParameterException}. */
    static Options parse(String[] args, Path root) {
        return HostBench.parse(new Line(), args, root);
    }
}
