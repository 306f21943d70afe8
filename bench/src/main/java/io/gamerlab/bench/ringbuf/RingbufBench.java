package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.HostProvenance;
import io.gamerlab.bench.host.BpfStats;
import io.gamerlab.bench.host.HostBench;
import io.gamerlab.bench.host.BenchOptions;
import io.gamerlab.bench.host.BenchRun;
import io.gamerlab.bench.ringbuf.Config.ConsumerKind;
import io.gamerlab.experiment.DatasetFile;
import io.gamerlab.sched.SchedulerBuild;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The BPF ring-buffer bench on the host kernel, in one command: P pinned producers spin on
 * getpgid(); a tp_btf/sys_enter trigger writes our scheduler's input-event record through the same
 * BPF code ({@code bpf/input_events.bpf.h}) built per variant (ringbuf, batch, prefetch) and
 * notification setting. Two kinds of trial, interleaved in one random order:
 * <ul>
 * <li>live: one event per getpgid, one consumer thread (libbpf or the Java mmap consumer) drains
 * every ring while the producers run ({@link Trial});
 * <li>producer-only: a burst of events per getpgid, nobody reading while the producers run, rings
 * sized to hold the whole trial and drained afterwards ({@link ProducerOnlyTrial}): the producers'
 * contention for a ring, without a consumer's wake-ups and cache traffic, and past the point where
 * the syscall rather than the ring limits the rate.
 * </ul>
 * Every event is accounted for; BPF's own run-time statistics give the producer-side cost, and a
 * baseline (trigger attached, early return) gives what the event path adds per call.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar io.gamerlab.bench.ringbuf.RingbufBench [--smoke]
 *      [--out DIR | --resume DIR] [--reps R] [--duration S] [--warmup S] [--producers 1,2,4] [--sampled N] [--seed N] [--consumer-cpu K|none]
 *      [--flush-ns N] [--phases live,producer-only,kernel] [--bursts 1,16,256] [--events N] [--prefetch off,on] [--live full|ratios]
 * </pre>
 * A third kind, kernel (asked for with {@code --phases}), runs the kernel's own ring-buffer bench
 * ({@link KernelTrial}) in the same plan: the cross-check.
 *
 * Writes the run to {@code datasets/ringbuf/<timestamp>-<host>/} (under the repository root, system
 * property {@code gamerlab.root} or the current directory; {@link BenchRun}, one cell per trial
 * written as it ends) and prints the ratios from that run.
 * Needs root (BPF, and BPF run-time statistics, enabled through an fd that dies with the process).
 */
public final class RingbufBench {
    static final int DEFAULT_SAMPLED = 64;
    static final String LIVE = "live";
    static final String PRODUCER_ONLY = "producer-only";
    static final String KERNEL = "kernel";
    static final List<String> PHASES = List.of(LIVE, PRODUCER_ONLY, KERNEL);
    /** 50 and 500: the kernel bench's batch counts (its multi-producer runs, its default), so ours and its meet at the same bursts. */
    static final String DEFAULT_BURSTS_TEXT = "1,4,16,50,500";
    static final List<Integer> DEFAULT_BURSTS = Stream.of(DEFAULT_BURSTS_TEXT.split(",")).map(Integer::valueOf).toList();
    static final List<Integer> SMOKE_BURSTS = List.of(1, 50);
    static final List<Integer> KERNEL_BATCH_COUNTS = List.of(50, 500);
    /** The kernel bench's warm-up, whole seconds (its -w); its measurement (-d) is 3 s, 1 s in a smoke run. */
    static final int KERNEL_WARMUP_S = 1;

    /**
     * The settings of one run.
     *
     * @param phases            which kinds of trial run: {@link #LIVE}, {@link #PRODUCER_ONLY}, {@link #KERNEL} (the kernel's
     *                          own bench: fetches and builds it on first use)
     * @param eventsPerProducer producer-only trials: events each producer emits in the measured phase
     * @param prefetch          the live matrix's prefetch values (full run; smoke: off only)
     * @param liveRatiosOnly    live: only the configs the printed ratios compare (the reference and each one-change twin), not the whole matrix
     */
    record Options(boolean smoke, Path out, boolean resume, int repetitions, double durationSeconds, double warmupSeconds, List<Integer> producers,
                   int sampledEvery, long seed, int consumerCpu, long flushNs, Set<String> phases, List<Integer> bursts, long eventsPerProducer,
                   List<Boolean> prefetch, boolean liveRatiosOnly) {
        int maxProducers() {
            return Collections.max(producers);
        }

        int kernelDurationSeconds() {
            return smoke ? 1 : 3;
        }
    }

    /** What a run produced: its dataset file, every trial, and the per-config summary. */
    record Outcome(Path dataset, List<TrialResult> trials, Summary summary, Options options) {
        List<TrialResult> failed() {
            return trials.stream().filter(t -> !t.ok()).toList();
        }
    }

    private RingbufBench() {
    }

    public static void main(String[] args) {
        HostBench.main(new Line(), args);
    }

    static Outcome run(Options options, PrintStream out) throws IOException {
        Path root = HostProvenance.repositoryRoot();
        HostBench.requireRoot("the ring-buffer bench loads BPF and enables BPF run-time statistics");
        int cpus = Runtime.getRuntime().availableProcessors();
        List<Config> configs = matrix(options);
        List<TrialResult> order = new ArrayList<>();
        List<HostBench.Planned<Config>> trials = HostBench.plan(configs, options.repetitions(), options.seed());

        HostProvenance host = HostProvenance.here(root);
        Trial.Timing timing = new Trial.Timing(HostBench.nanos(options.warmupSeconds()), HostBench.nanos(options.durationSeconds()), TimeUnit.SECONDS.toNanos(5));
        long timed = trials.stream().filter(t -> t.config().kind() == Config.Kind.LIVE || t.config().baseline()).count();
        long kernelTrials = trials.stream().filter(t -> t.config().kernel()).count();
        double estimate = timed * (options.warmupSeconds() + options.durationSeconds() + 0.15) + kernelTrials * (KERNEL_WARMUP_S + options.kernelDurationSeconds() + 0.5)
                + (trials.size() - timed - kernelTrials) * 0.6;
        out.printf(Locale.ROOT, "gamerlab BPF ring-buffer bench (%s): %d configs x %d repetitions = %d trials (live and baseline: %.2f s + %.2f s warm-up), "
                        + "random order (seed %d), producers %s on %d CPUs (producer p on CPU p, consumer on %s); about %.0f s%n  kernel %s, %s, git %s%n  -> %s%n",
                options.smoke() ? "smoke" : "full", configs.size(), options.repetitions(), trials.size(), options.durationSeconds(),
                options.warmupSeconds(), options.seed(), options.producers(), cpus,
                options.consumerCpu() < 0 ? "any CPU" : "CPU " + options.consumerCpu(), estimate, host.kernel(), host.cpuModel(), host.gitCommit(),
                options.out());

        // Every build first, so no trial waits for clang.
        Map<List<String>, Path> objects = new LinkedHashMap<>();
        long buildStart = System.nanoTime();
        SchedulerBuild build = new SchedulerBuild(root);
        for (Config c : configs) if (!c.kernel()) objects.computeIfAbsent(c.flags(), flags -> build.benchObject(Trial.TRIGGER, flags));
        out.printf(Locale.ROOT, "  %d trigger builds ready in %.1f s%n", objects.size(), (System.nanoTime() - buildStart) / 1e9);
        Path kernelBench = options.phases().contains(KERNEL) ? kernelBench(root, out) : null;
        String prefetchBuilds = PrefetchCheck.describe(objects);

        Map<String, String> settings = BenchOptions.runSettings(options.smoke(), options.seed(), options.repetitions(), options.durationSeconds(),
                options.warmupSeconds());
        settings.put("phases", String.join(",", options.phases()) + " (live: a consumer runs beside the producers, one event per getpgid; "
                + "producer-only: no consumer while producers run, a burst of events per getpgid, rings sized for the whole trial, drained after)");
        settings.put("producers", options.producers().toString());
        settings.put("cpus", Integer.toString(cpus));
        settings.put("sampled_wakeup_every", Integer.toString(options.sampledEvery()));
        settings.put("consumer_cpu", options.consumerCpu() < 0 ? "unpinned" : Integer.toString(options.consumerCpu()));
        settings.put("producer_cpus", "producer p on cpu p % " + cpus);
        settings.put("consumer_wait_ms", Integer.toString(ConsumerThread.WAIT_MILLIS));
        settings.put("prefetch_builds", prefetchBuilds);
        settings.put("input_flush_ns", options.flushNs() > 0 ? Long.toString(options.flushNs()) : "default (1000000)");
        settings.put("live_prefetch", options.prefetch().stream().map(on -> on ? "on" : "off").toList().toString());
        settings.put("live_configs", options.liveRatiosOnly() ? "ratios (the reference config and each one-change twin the printed ratios compare)" : "full matrix");
        settings.put("producer_only_bursts", options.bursts().toString());
        settings.put("producer_only_scheduling", "SCHED_FIFO priority " + Producers.REALTIME_PRIORITY + " for the producer threads; the kernel bench "
                + "under SCHED_RR (chrt -r); live and baseline: normal");
        settings.put("producer_only_events_per_producer", options.eventsPerProducer() + " (measured phase; warm-up phase "
                + ProducerOnlyTrial.WARMUP_SHARE + " of it, discarded)");
        settings.put("programs", Trial.TRIGGER_PROGRAM + " (live, baseline), " + ProducerOnlyTrial.BURST_PROGRAM + " (producer-only)");
        if (kernelBench != null) {
            settings.put("kernel_bench", kernelBench + " (bench_ringbufs of the BPF selftests, built by scripts/kernel-ringbuf-bench.sh: "
                    + "fentry hook changed to tp_btf/sys_enter, getpgid only)");
            settings.put("kernel_bench_command", String.join(" ", KernelTrial.command(kernelBench, Config.kernel(ConsumerKind.MMAP, 1, 50),
                    KERNEL_WARMUP_S, options.kernelDurationSeconds())) + " (per trial: -p P, --rb-batch-cnt N, rb-libbpf or rb-custom)");
        }
        settings.put("planned_trials", Integer.toString(trials.size()));

        long runStart = System.nanoTime();
        Summary summary;
        Map<String, String> ending = new LinkedHashMap<>();
        try (BenchRun<Config, TrialResult> dataset = BenchRun.start(options.out(), RingbufDataset.BENCH, trials, options.seed(), settings,
                new RingbufDataset(objects), host.gitCommit(), options.resume())) {
            try (BpfStats.Enabled stats = BpfStats.enableForRun()) {
                ending.put("bpf_stats_enabled_before", stats.previous());
                order.addAll(dataset.runPlan(TrialResult::new, (c, repetition, i) -> {
                    Path object = objects.get(c.flags());
                    return switch (c.kind()) {
                        case PRODUCER_ONLY -> ProducerOnlyTrial.run(c, repetition, i, object, options.eventsPerProducer(), cpus, options.consumerCpu(),
                                timing.drainTimeoutNs());
                        case KERNEL -> KernelTrial.run(c, repetition, i, kernelBench, KERNEL_WARMUP_S, options.kernelDurationSeconds());
                        case LIVE, BASELINE -> Trial.run(c, repetition, i, object, timing, cpus, options.consumerCpu(), options.flushNs());
                    };
                }, (i, r) -> out.println(progress(i, trials.size(), r))));
            }
            summary = new Summary(order);
            addDerived(order, summary);
            ending.putAll(BenchRun.ending(order.size(), (System.nanoTime() - runStart) / 1e9));
            dataset.complete(order, ending);
        }
        double elapsed = (System.nanoTime() - runStart) / 1e9;

        out.println();
        printSummary(out, summary);
        out.println();
        List<Integer> shownProducers = options.producers().size() > 2 ? List.of(1, options.maxProducers()) : options.producers();
        if (options.phases().contains(LIVE)) {
            Ratios.print(out, summary, shownProducers, options.sampledEvery(), options.repetitions());
            out.println("prefetch=on vs off builds: " + prefetchBuilds + ".");
            out.println();
        }
        if (options.phases().contains(PRODUCER_ONLY)) {
            ContentionRatios.print(out, summary, options.producers(), options.bursts());
            out.println();
        }
        if (options.phases().contains(KERNEL)) {
            KernelRatios.print(out, summary, options.producers(), KERNEL_BATCH_COUNTS);
            out.println();
        }
        HostBench.printChecks(out, order, "accounted for every event (produced = received + BPF drops; received = what BPF submitted; no reordering)");
        out.printf(Locale.ROOT, "Measured on this host (%s, kernel %s, %d CPUs) in %.0f s; dataset %s%n", host.cpuModel(), host.kernel(), cpus,
                elapsed, options.out());
        return new Outcome(options.out(), List.copyOf(order), summary, options);
    }

    // ---- the matrix ----

    /**
     * Live (phase {@link #LIVE}):
     * smoke: ringbuf shared+percpu x batch 1+8 x both consumers x each producer count, plus
     * prefetch on and sampled notification at the reference point (max producers, libbpf);
     * full: every ringbuf x batch 1+8 x prefetch off+on x both consumers x each producer count;
     * batch 4+16 (prefetch off) at max producers; sampled notification for every ringbuf x batch
     * 1+8 x both consumers x each producer count.
     * Producer-only (phase {@link #PRODUCER_ONLY}): each ringbuf (smoke: shared+percpu) x each
     * producer count x each burst, batch 1; and batch 8 at the largest burst.
     * Kernel (phase {@link #KERNEL}): rb-libbpf and rb-custom x each producer count x batch count 50
     * and 500.
     * The baselines (one per producer count) in all.
     */
    static List<Config> matrix(Options o) {
        Set<Config> m = new LinkedHashSet<>();
        List<ConsumerKind> consumers = List.of(ConsumerKind.LIBBPF, ConsumerKind.MMAP);
        List<String> ringbufs = o.smoke() ? List.of("shared", "percpu") : List.of("shared", "percpu", "sharded");
        List<Boolean> prefetch = o.smoke() ? List.of(false) : o.prefetch();
        int max = o.maxProducers();
        if (o.phases().contains(LIVE) && o.liveRatiosOnly()) {
            for (int p : o.producers()) {
                m.add(Ratios.reference(p));
                for (String rb : ringbufs) m.add(Ratios.reference(p).withRingbuf(rb));
                m.add(Ratios.reference(p).withBatch(8));
                m.add(Ratios.reference(p).withConsumer(ConsumerKind.MMAP));
                m.add(Ratios.reference(p).withNotify(o.sampledEvery()));
                for (boolean pf : prefetch) m.add(Ratios.reference(p).withPrefetch(pf));
            }
        } else if (o.phases().contains(LIVE)) {
            for (int p : o.producers())
                for (String rb : ringbufs)
                    for (int batch : List.of(1, 8))
                        for (boolean pf : prefetch)
                            for (ConsumerKind c : consumers) m.add(Config.event(rb, batch, pf, 1, c, p));
            if (o.smoke()) {
                m.add(Ratios.reference(max).withPrefetch(true));
                m.add(Ratios.reference(max).withNotify(o.sampledEvery()));
            } else {
                for (String rb : ringbufs)
                    for (int batch : List.of(4, 16))
                        for (ConsumerKind c : consumers) m.add(Config.event(rb, batch, false, 1, c, max));
                for (int p : o.producers())
                    for (String rb : ringbufs)
                        for (int batch : List.of(1, 8))
                            for (ConsumerKind c : consumers) m.add(Config.event(rb, batch, false, o.sampledEvery(), c, p));
            }
        }
        if (o.phases().contains(PRODUCER_ONLY)) {
            int largest = Collections.max(o.bursts());
            for (int p : o.producers())
                for (String rb : ringbufs) {
                    for (int burst : o.bursts()) m.add(Config.producerOnly(rb, 1, p, burst));
                    m.add(Config.producerOnly(rb, 8, p, largest));
                }
        }
        if (o.phases().contains(KERNEL))
            for (int p : o.producers())
                for (int batchCount : KERNEL_BATCH_COUNTS)
                    for (ConsumerKind c : consumers) m.add(Config.kernel(c, p, batchCount));
        for (int p : o.producers()) m.add(Config.baseline(p));
        return List.copyOf(m);
    }

    /** The kernel's bench, built for this host (fetching Debian's kernel source on first use). */
    private static Path kernelBench(Path root, PrintStream out) {
        out.println("  the kernel's bench_ringbufs: scripts/kernel-ringbuf-bench.sh (fetches and builds it the first time, a few minutes)");
        String printed = io.gamerlab.util.Command.run("building the kernel's ring-buffer bench", List.of("bash", root.resolve("scripts/kernel-ringbuf-bench.sh").toString()));
        List<String> lines = printed.lines().filter(l -> !l.isBlank()).toList();
        Path bench = Path.of(lines.getLast().trim());
        if (!java.nio.file.Files.isExecutable(bench))
            throw new IllegalStateException("scripts/kernel-ringbuf-bench.sh did not end with the path of an executable bench: " + String.join("\n", lines));
        return bench;
    }

    /**
     * Per trial: its per-call and per-run cost above the baseline's mean at the same producer count;
     * for a producer-only trial also per event (the call's cost above the baseline over its burst).
     */
    private static void addDerived(List<TrialResult> trials, Summary summary) {
        for (TrialResult t : trials) {
            if (t.config.baseline() || t.config.kernel()) continue;
            Config base = Config.baseline(t.config.producers());
            double baseCall = summary.mean(base, "producer.ns_per_call");
            double baseRun = summary.mean(base, "bpf.ns_per_run");
            String note = "minus the baseline's mean at producers=" + t.config.producers() + " (hook attached, early return)";
            t.add("derived", "cost_ns_per_call", "ns", t.get("producer.ns_per_call") - baseCall, "producer ns/call " + note);
            t.add("derived", "bpf_cost_ns_per_run", "ns", t.get("bpf.ns_per_run") - baseRun, "BPF ns/run " + note);
            if (t.config.producerOnly())
                t.add("derived", "cost_cpu_ns_per_event", "ns",
                        (t.get("producer.cpu_ns_per_call") - summary.mean(base, "producer.cpu_ns_per_call")) / t.config.burst(),
                        "(producer thread CPU ns/call " + note + ") / " + t.config.burst() + " events per call");
        }
    }

    private static String progress(int i, int total, TrialResult r) {
        if (r.config.kernel())
            return String.format(Locale.ROOT, "  [%3d/%d] %-48s %-6s P=%d kernel bench  rep %d: %5s M/s attempted (%5s M/s hits), %6.1f ns/record/producer  other load %3s%%%s",
                    i + 1, total, r.config.variant(), r.config.consumer().label(), r.config.producers(), r.repetition, Ratios.m(r.get("producer.events_per_s")),
                    Ratios.m(r.get("producer.delivered_per_s")), r.get("producer.ns_per_event"), Ratios.ns(100 * r.get("host.other_busy_share")),
                    r.ok() ? "" : "  FAILED " + r.failures());
        if (r.config.producerOnly())
            return String.format(Locale.ROOT, "  [%3d/%d] %-48s none   P=%d producer-only rep %d: %6.1f cpu ns/event (wall %6.1f, %5s M/s total)  bpf %5.1f ns/event  "
                            + "on-cpu %3.0f%%  other load %3s%%%s",
                    i + 1, total, r.config.variant(), r.config.producers(), r.repetition, r.get(ContentionRatios.COST), r.get("producer.ns_per_event"),
                    Ratios.m(r.get("producer.events_per_s")), r.get("bpf.ns_per_event"), 100 * r.get("producer.on_cpu_share"), Ratios.ns(100 * r.get("host.other_busy_share")),
                    r.ok() ? "" : "  FAILED " + r.failures());
        return String.format(Locale.ROOT, "  [%3d/%d] %-48s %-6s P=%d notify=%-2s rep %d: %5s M/s delivered of %5s  bpf %4s ns/run  consumer %4s ns/ev  other load %3s%%%s",
                i + 1, total, r.config.variant(), r.config.consumer().label(), r.config.producers(), r.config.notifyLabel(), r.repetition,
                Ratios.m(r.get("producer.delivered_per_s")), Ratios.m(r.get("producer.events_per_s")), Ratios.ns(r.get("bpf.ns_per_run")),
                Ratios.ns(r.get("consumer.ns_per_event")), Ratios.ns(100 * r.get("host.other_busy_share")), r.ok() ? "" : "  FAILED " + r.failures());
    }

    private static void printSummary(PrintStream out, Summary s) {
        out.println("Per config (mean over repetitions): delivered events/s ± sd, produced events/s, BPF ns per trigger run, producer ns/call "
                + "above the baseline, consumer CPU ns per event, BPF drops per trial");
        List<Config> configs = new ArrayList<>(s.configs().stream().filter(c -> c.kind() == Config.Kind.LIVE || c.baseline()).toList());
        configs.sort(Comparator.comparingInt(Config::producers).thenComparing(Config::baseline).thenComparing(Config::ringbuf)
                .thenComparingInt(Config::batch).thenComparing(Config::prefetch).thenComparingInt(Config::wakeupEvery).thenComparing(Config::consumer));
        for (Config c : configs) {
            long failed = s.failedTrials(c);
            out.printf(Locale.ROOT, "  %-38s %-6s P=%d notify=%-2s n=%d  %5s ±%5s of %5s M/s  bpf %4s ns/run  +%5s ns/call  consumer %4s ns/ev  drops %8s%s%n",
                    c.variant(), c.consumer().label(), c.producers(), c.notifyLabel(), s.repetitions(c),
                    Ratios.m(s.mean(c, "producer.delivered_per_s")), Ratios.m(s.stddev(c, "producer.delivered_per_s")),
                    Ratios.m(s.mean(c, "producer.events_per_s")),
                    Ratios.ns(s.mean(c, "bpf.ns_per_run")), c.baseline() ? "-" : Ratios.ns(s.mean(c, "derived.cost_ns_per_call")),
                    Ratios.ns(s.mean(c, "consumer.ns_per_event")), DatasetFile.number(Math.rint(s.mean(c, "bpf.drops"))),
                    failed == 0 ? "" : "  " + failed + " FAILED");
        }
    }

    // ---- options ----

    /** The command line: the options every bench takes, and the ring-buffer bench's own. */
    @Command(name = "RingbufBench", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Runs the host BPF ring-buffer bench (root; see bench/README.md).")
    static final class Line implements Callable<Integer>, HostBench.CommandLineOptions<Options> {
        @Spec
        CommandSpec spec;
        @Mixin
        BenchOptions common;
        @Option(names = "--producers", paramLabel = "LIST", description = "Producer counts, e.g. 1,2,4 (default: 1..N up to 4 CPUs, then powers of 2 and N).")
        String producers;
        @Option(names = "--sampled", paramLabel = "N", description = "Sampled notification: wake the consumer every Nth record, at least 2 (default: "
                + DEFAULT_SAMPLED + ").")
        int sampled = DEFAULT_SAMPLED;
        @Option(names = "--consumer-cpu", paramLabel = "K|none", description = "The consumer's CPU, or none to leave it unpinned (default: the last CPU).")
        String consumerCpu;
        @Option(names = "--flush-ns", paramLabel = "N", description = "The flush timer's delay for partial batches (default: the BPF default).")
        long flushNs;
        @Option(names = "--phases", paramLabel = "LIST", description = "Which kinds of trial run: live, producer-only, kernel (default: live,producer-only).")
        String phases = LIVE + "," + PRODUCER_ONLY;
        @Option(names = "--bursts", paramLabel = "LIST", description = "Producer-only bursts, events per getpgid (default: " + DEFAULT_BURSTS_TEXT + ").")
        String bursts;
        @Option(names = "--events", paramLabel = "N", description = "Producer-only: events per producer in the measured phase, at least 1.")
        Long events;
        @Option(names = "--prefetch", paramLabel = "LIST", description = "The live matrix's prefetch values: off, on or both (default: off,on).")
        String prefetch = "off,on";
        @Option(names = "--live", paramLabel = "full|ratios", description = "Live: the full matrix, or only the configs the printed ratios compare.")
        String live = "full";

        @Override
        public Options options(Path root) {
            boolean smoke = common.smoke();
            int cpus = Runtime.getRuntime().availableProcessors();
            List<Integer> producerCounts = producers != null ? list("--producers", producers, 126) : defaultProducers(cpus);
            List<Integer> burstSizes = bursts != null ? list("--bursts", bursts, Producers.MAX_BURST) : smoke ? SMOKE_BURSTS : DEFAULT_BURSTS;
            Set<String> chosen = new LinkedHashSet<>();
            for (String phase : phases.split(",")) {
                if (!PHASES.contains(phase.trim())) throw common.usage("--phases", phases, String.join(", ", PHASES) + ", separated by commas");
                chosen.add(phase.trim());
            }
            long eventsPerProducer = events != null ? events : smoke ? 1 << 14 : 1 << 20;
            if (eventsPerProducer < 1) throw common.usage("--events", eventsPerProducer, "a whole number, at least 1");
            if (!List.of("full", "ratios").contains(live)) throw common.usage("--live", live, "full or ratios");
            List<Boolean> prefetchValues = new ArrayList<>();
            for (String value : prefetch.split(",")) {
                if (!List.of("off", "on").contains(value.trim()) || prefetchValues.contains(value.trim().equals("on")))
                    throw common.usage("--prefetch", prefetch, "off and/or on, separated by commas");
                prefetchValues.add(value.trim().equals("on"));
            }
            if (sampled < 2) throw common.usage("--sampled", sampled, "a whole number, at least 2");
            int consumer;
            if (consumerCpu == null) consumer = cpus - 1;
            else if (consumerCpu.equals("none")) consumer = -1;
            else {
                try {
                    consumer = Integer.parseInt(consumerCpu);
                } catch (NumberFormatException e) {
                    throw common.usage("--consumer-cpu", consumerCpu, "a CPU number, or none");
                }
            }
            return new Options(smoke, common.dir(root, RingbufDataset.BENCH), common.resuming(), common.repetitions(1, 5),
                    common.duration(0.2, 1.0), common.warmup(0.1, 0.25), producerCounts, sampled, common.seed(), consumer, flushNs,
                    Collections.unmodifiableSet(chosen), burstSizes, eventsPerProducer, List.copyOf(prefetchValues), live.equals("ratios"));
        }

        private List<Integer> list(String option, String text, int most) {
            List<Integer> ps = new ArrayList<>();
            for (String part : text.split(",")) {
                int p;
                try {
                    p = Integer.parseInt(part.trim());
                } catch (NumberFormatException e) {
                    throw common.usage(option, text, "whole numbers from 1 to " + most + ", separated by commas");
                }
                if (p < 1 || p > most) throw common.usage(option, text, "whole numbers from 1 to " + most + ", separated by commas");
                if (!ps.contains(p)) ps.add(p);
            }
            Collections.sort(ps);
            return List.copyOf(ps);
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

    /** 1..N for up to 4 CPUs; 1, 2, 4, ..., N beyond. */
    static List<Integer> defaultProducers(int cpus) {
        List<Integer> ps = new ArrayList<>();
        if (cpus <= 4) {
            for (int p = 1; p <= cpus; p++) ps.add(p);
        } else {
            for (int p = 1; p < cpus; p *= 2) ps.add(p);
            ps.add(cpus);
        }
        return List.copyOf(ps);
    }
}
