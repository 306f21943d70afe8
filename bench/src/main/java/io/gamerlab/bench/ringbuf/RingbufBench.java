package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.HostProvenance;
import io.gamerlab.bench.host.BpfStats;
import io.gamerlab.bench.host.HostBench;
import io.gamerlab.bench.host.HostDataset;
import io.gamerlab.bench.host.OptionArgs;
import io.gamerlab.bench.ringbuf.Config.ConsumerKind;
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
import java.util.concurrent.TimeUnit;

/**
 * The BPF ring-buffer bench on the host kernel, in one command: P pinned producers spin on
 * getpgid(); a tp_btf/sys_enter trigger writes our scheduler's input-event record through the same
 * BPF code ({@code bpf/input_events.bpf.h}) built per variant (ringbuf, batch, prefetch) and
 * notification setting; one consumer thread (libbpf or the Java mmap consumer) drains every ring.
 * Every event is accounted for; BPF's own run-time statistics give the producer-side cost, and a
 * baseline (trigger attached, early return) gives what the event path adds per call.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar io.gamerlab.bench.ringbuf.RingbufBench [--smoke] [--out FILE]
 *      [--reps R] [--duration S] [--warmup S] [--producers 1,2,4] [--sampled N] [--seed N] [--consumer-cpu K|none]
 *      [--flush-ns N]
 * </pre>
 *
 * Writes {@code datasets/ringbuf/<timestamp>-<host>.csv} (under the repository root, system
 * property {@code gamerlab.root} or the current directory) and prints the ratios from that run.
 * Needs root (BPF, and BPF run-time statistics, enabled through an fd that dies with the process).
 */
public final class RingbufBench {
    static final int DEFAULT_SAMPLED = 64;

    /** The settings of one run. */
    record Options(boolean smoke, Path out, int repetitions, double durationSeconds, double warmupSeconds, List<Integer> producers,
                   int sampledEvery, long seed, int consumerCpu, long flushNs) {
        int maxProducers() {
            return Collections.max(producers);
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

    public static void main(String[] args) throws IOException {
        HostBench.main(args, "Runs the host BPF ring-buffer bench (root; see the class comment).\n" + USAGE,
                a -> run(a, System.out).failed().isEmpty());
    }

    static Outcome run(String[] args, PrintStream out) throws IOException {
        Path root = HostProvenance.repositoryRoot();
        Options options = parse(args, root);
        HostBench.requireRoot("the ring-buffer bench loads BPF and enables BPF run-time statistics");
        int cpus = Runtime.getRuntime().availableProcessors();
        List<Config> configs = matrix(options);
        List<TrialResult> order = new ArrayList<>();
        List<HostBench.Planned<Config>> trials = HostBench.plan(configs, options.repetitions(), options.seed());

        HostProvenance host = HostProvenance.here(root);
        HostDataset.RunInfo info = HostDataset.RunInfo.startingNow(host);
        Trial.Timing timing = new Trial.Timing(HostBench.nanos(options.warmupSeconds()), HostBench.nanos(options.durationSeconds()), TimeUnit.SECONDS.toNanos(5));
        double estimate = trials.size() * (options.warmupSeconds() + options.durationSeconds() + 0.15);
        out.printf(Locale.ROOT, "gamerlab BPF ring-buffer bench (%s): %d configs x %d repetitions = %d trials of %.2f s (+%.2f s warm-up), "
                        + "random order (seed %d), producers %s on %d CPUs (producer p on CPU p, consumer on %s); about %.0f s%n  kernel %s, %s, git %s%n  -> %s%n",
                options.smoke() ? "smoke" : "full", configs.size(), options.repetitions(), trials.size(), options.durationSeconds(),
                options.warmupSeconds(), options.seed(), options.producers(), cpus,
                options.consumerCpu() < 0 ? "any CPU" : "CPU " + options.consumerCpu(), estimate, host.kernel(), host.cpuModel(), host.gitCommit(),
                options.out());

        // Every build first, so no trial waits for clang.
        Map<List<String>, Path> objects = new LinkedHashMap<>();
        long buildStart = System.nanoTime();
        SchedulerBuild build = new SchedulerBuild(root);
        for (Config c : configs) objects.computeIfAbsent(c.flags(), flags -> build.benchObject(Trial.TRIGGER, flags));
        out.printf(Locale.ROOT, "  %d trigger builds ready in %.1f s%n", objects.size(), (System.nanoTime() - buildStart) / 1e9);
        String prefetchBuilds = PrefetchCheck.describe(objects);

        String previousStats;
        long runStart = System.nanoTime();
        try (BpfStats.Enabled stats = BpfStats.enableForRun()) {
            previousStats = stats.previous();
            for (int i = 0; i < trials.size(); i++) {
                Config c = trials.get(i).config();
                int repetition = trials.get(i).repetition();
                TrialResult r = Trial.run(c, repetition, i, objects.get(c.flags()), timing, cpus, options.consumerCpu(), options.flushNs());
                order.add(r);
                out.println(progress(i, trials.size(), r));
            }
        }
        double elapsed = (System.nanoTime() - runStart) / 1e9;

        Summary summary = new Summary(order);
        addDerived(order, summary);
        Map<String, String> settings = HostDataset.runSettings(options.smoke(), options.seed(), options.repetitions(), options.durationSeconds(),
                options.warmupSeconds());
        settings.put("producers", options.producers().toString());
        settings.put("cpus", Integer.toString(cpus));
        settings.put("sampled_wakeup_every", Integer.toString(options.sampledEvery()));
        settings.put("consumer_cpu", options.consumerCpu() < 0 ? "unpinned" : Integer.toString(options.consumerCpu()));
        settings.put("producer_cpus", "producer p on cpu p % " + cpus);
        settings.put("consumer_wait_ms", Integer.toString(ConsumerThread.WAIT_MILLIS));
        settings.put("bpf_stats_enabled_before", previousStats);
        settings.put("prefetch_builds", prefetchBuilds);
        settings.put("input_flush_ns", options.flushNs() > 0 ? Long.toString(options.flushNs()) : "default (1000000)");
        settings.put("trials", Integer.toString(order.size()));
        settings.put("elapsed_s", String.format(Locale.ROOT, "%.1f", elapsed));
        RingbufDataset.write(options.out(), info, order, settings);

        out.println();
        printSummary(out, summary);
        out.println();
        Ratios.print(out, summary, options.producers().size() > 2 ? List.of(1, options.maxProducers()) : options.producers(),
                options.sampledEvery(), options.repetitions());
        out.println("prefetch=on vs off builds: " + prefetchBuilds + ".");
        out.println();
        HostBench.printChecks(out, order, "accounted for every event (produced = received + BPF drops; received = what BPF submitted; no reordering)");
        out.printf(Locale.ROOT, "Measured on this host (%s, kernel %s, %d CPUs) in %.0f s; dataset %s%n", host.cpuModel(), host.kernel(), cpus,
                elapsed, options.out());
        return new Outcome(options.out(), List.copyOf(order), summary, options);
    }

    // ---- the matrix ----

    /**
     * smoke: ringbuf shared+percpu x batch 1+8 x both consumers x each producer count, plus
     * prefetch on and sampled notification at the reference point (max producers, libbpf), plus
     * the baselines.
     * full: every ringbuf x batch 1+8 x prefetch off+on x both consumers x each producer count;
     * batch 4+16 (prefetch off) at max producers; sampled notification for every ringbuf x batch
     * 1+8 x both consumers x each producer count; the baselines.
     */
    static List<Config> matrix(Options o) {
        Set<Config> m = new LinkedHashSet<>();
        List<ConsumerKind> consumers = List.of(ConsumerKind.LIBBPF, ConsumerKind.MMAP);
        List<String> ringbufs = o.smoke() ? List.of("shared", "percpu") : List.of("shared", "percpu", "sharded");
        List<Boolean> prefetch = o.smoke() ? List.of(false) : List.of(false, true);
        for (int p : o.producers())
            for (String rb : ringbufs)
                for (int batch : List.of(1, 8))
                    for (boolean pf : prefetch)
                        for (ConsumerKind c : consumers) m.add(Config.event(rb, batch, pf, 1, c, p));
        int max = o.maxProducers();
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
        for (int p : o.producers()) m.add(Config.baseline(p));
        return List.copyOf(m);
    }

    /** Per trial: its per-call and per-run cost above the baseline's mean at the same producer count. */
    private static void addDerived(List<TrialResult> trials, Summary summary) {
        for (TrialResult t : trials) {
            if (t.config.baseline()) continue;
            Config base = Config.baseline(t.config.producers());
            double baseCall = summary.mean(base, "producer.ns_per_call");
            double baseRun = summary.mean(base, "bpf.ns_per_run");
            String note = "minus the baseline's mean at producers=" + t.config.producers() + " (hook attached, early return)";
            t.add("derived", "cost_ns_per_call", "ns", t.get("producer.ns_per_call") - baseCall, "producer ns/call " + note);
            t.add("derived", "bpf_cost_ns_per_run", "ns", t.get("bpf.ns_per_run") - baseRun, "BPF ns/run " + note);
        }
    }

    private static String progress(int i, int total, TrialResult r) {
        return String.format(Locale.ROOT, "  [%3d/%d] %-38s %-6s P=%d notify=%-2s rep %d: %5s M/s delivered of %5s  bpf %4s ns/run  consumer %4s ns/ev  other load %3s%%%s",
                i + 1, total, r.config.variant(), r.config.consumer().label(), r.config.producers(), r.config.notifyLabel(), r.repetition,
                Ratios.m(r.get("producer.delivered_per_s")), Ratios.m(r.get("producer.events_per_s")), Ratios.ns(r.get("bpf.ns_per_run")),
                Ratios.ns(r.get("consumer.ns_per_event")), Ratios.ns(100 * r.get("host.other_busy_share")), r.ok() ? "" : "  FAILED " + r.failures());
    }

    private static void printSummary(PrintStream out, Summary s) {
        out.println("Per config (mean over repetitions): delivered events/s ± sd, produced events/s, BPF ns per trigger run, producer ns/call "
                + "above the baseline, consumer CPU ns per event, BPF drops per trial");
        List<Config> configs = new ArrayList<>(s.configs());
        configs.sort(Comparator.comparingInt(Config::producers).thenComparing(Config::baseline).thenComparing(Config::ringbuf)
                .thenComparingInt(Config::batch).thenComparing(Config::prefetch).thenComparingInt(Config::wakeupEvery).thenComparing(Config::consumer));
        for (Config c : configs) {
            long failed = s.failedTrials(c);
            out.printf(Locale.ROOT, "  %-38s %-6s P=%d notify=%-2s n=%d  %5s ±%5s of %5s M/s  bpf %4s ns/run  +%5s ns/call  consumer %4s ns/ev  drops %8s%s%n",
                    c.variant(), c.consumer().label(), c.producers(), c.notifyLabel(), s.repetitions(c),
                    Ratios.m(s.mean(c, "producer.delivered_per_s")), Ratios.m(s.stddev(c, "producer.delivered_per_s")),
                    Ratios.m(s.mean(c, "producer.events_per_s")),
                    Ratios.ns(s.mean(c, "bpf.ns_per_run")), c.baseline() ? "-" : Ratios.ns(s.mean(c, "derived.cost_ns_per_call")),
                    Ratios.ns(s.mean(c, "consumer.ns_per_event")), HostDataset.number(Math.rint(s.mean(c, "bpf.drops"))),
                    failed == 0 ? "" : "  " + failed + " FAILED");
        }
    }

    // ---- options ----

    static Options parse(String[] args, Path root) {
        OptionArgs o = OptionArgs.parse(args, Set.of("--smoke", "--full"), Set.of("--out", "--reps", "--duration", "--warmup",
                "--producers", "--sampled", "--seed", "--flush-ns", "--consumer-cpu"), USAGE);
        boolean smoke = o.has("--smoke") && !o.has("--full");
        int cpus = Runtime.getRuntime().availableProcessors();
        List<Integer> producers = o.has("--producers") ? parseList(o, o.text("--producers")) : defaultProducers(cpus);
        int sampled = o.integer("--sampled", DEFAULT_SAMPLED);
        if (sampled < 2) throw o.problem("--sampled must be at least 2");
        Path out = o.has("--out") ? Path.of(o.text("--out")) : HostDataset.defaultFile(root, "ringbuf");
        int consumerCpu = "none".equals(o.text("--consumer-cpu")) ? -1 : o.integer("--consumer-cpu", cpus - 1);
        return new Options(smoke, out.toAbsolutePath(), o.integer("--reps", smoke ? 1 : 3), o.decimal("--duration", smoke ? 0.2 : 1.0),
                o.decimal("--warmup", smoke ? 0.1 : 0.25), producers, sampled, o.longInteger("--seed", System.nanoTime()), consumerCpu,
                o.longInteger("--flush-ns", 0));
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

    private static List<Integer> parseList(OptionArgs o, String text) {
        List<Integer> ps = new ArrayList<>();
        for (String part : text.split(",")) {
            int p;
            try {
                p = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw o.problem("--producers takes whole numbers separated by commas, not '" + text + "'");
            }
            if (p < 1 || p > 126) throw o.problem("producer counts are 1..126, not " + p);
            if (!ps.contains(p)) ps.add(p);
        }
        Collections.sort(ps);
        return List.copyOf(ps);
    }

    static final String USAGE = "usage: RingbufBench [--smoke] [--out FILE] [--reps R] [--duration S] [--warmup S] [--producers 1,2,4]"
            + " [--sampled N] [--seed N] [--consumer-cpu K|none] [--flush-ns N]";
}
