package io.gamerlab.bench.taskctx;

import io.gamerlab.bench.HostProvenance;
import io.gamerlab.bench.host.BpfStats;
import io.gamerlab.bench.host.HostBench;
import io.gamerlab.bench.host.BenchOptions;
import io.gamerlab.bench.host.BenchRun;
import io.gamerlab.bench.host.TrialMetrics;
import io.gamerlab.bench.host.TrialSummary;
import io.gamerlab.bench.taskctx.Config.Threads;
import io.gamerlab.experiment.DatasetFile;
import io.gamerlab.sched.SchedulerBuild;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Seed proposal 5 in BPF task storage on the host kernel, in one command: the scheduler's own
 * {@code struct task_ctx} (bpf/task_ctx.h), packed or split, in a task storage map; a writer
 * thread pinned to CPU 0 updates its own task context's counters on every getpgid() as the
 * scheduler's running/stopping callbacks do, while a reader thread pinned to CPU 1 reads that
 * task context's classification on every getpgid() of its own, as an enqueue on another CPU does
 * (bpf/bench/taskctx_sharing.bpf.c). Each layout also runs with one thread idle (the reader-alone
 * and writer-alone controls), so what the other thread costs each can be told from what each costs
 * anyway, and false sharing is what that cost adds in packed over split.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar io.gamerlab.bench.taskctx.TaskCtxBench [--smoke]
 *      [--out DIR | --resume DIR] [--reps R] [--duration S] [--warmup S] [--seed N]
 * </pre>
 *
 * Writes the run to {@code datasets/taskctx/<timestamp>-<host>/} (under the repository root, system
 * property {@code gamerlab.root} or the current directory; {@link BenchRun}) and prints the ratios from that run.
 * Needs root (BPF, and BPF run-time statistics, enabled through an fd that dies with the process) and two CPUs.
 */
public final class TaskCtxBench {
    static final int WRITER_CPU = 0;
    static final int READER_CPU = 1;
    static final String BENCH = "taskctx";

    /** The settings of one run; {@code out} is its dataset directory, continued if {@code resume}. */
    record Options(boolean smoke, Path out, boolean resume, int repetitions, double durationSeconds, double warmupSeconds, long seed) {
    }

    /** How trials are named in the dataset: the layout as the variant, the threads as a parameter, the layout's build. */
    private record Naming(Map<String, Path> objects) implements BenchRun.Naming<Config> {
        @Override
        public String variant(Config c) {
            return c.variant();
        }

        @Override
        public Map<String, String> params(Config c) {
            return Map.of("threads", c.threads().label);
        }

        @Override
        public Path object(Config c) {
            return objects.get(c.layout());
        }
    }

    /** The command line. */
    @Command(name = "TaskCtxBench", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Runs the host BPF task-context layout bench (root, two CPUs; see bench/README.md).")
    static final class Line implements Callable<Integer>, HostBench.CommandLineOptions<Options> {
        @Mixin
        BenchOptions common;

        @Override
        public Options options(Path root) {
            return new Options(common.smoke(), common.dir(root, BENCH), common.resuming(), common.repetitions(1, 5),
                    common.duration(0.3, 2.0), common.warmup(0.1, 0.5), common.seed());
        }

        @Override
        public Integer call() throws IOException {
            return run(options(HostProvenance.repositoryRoot()), System.out).failed().isEmpty() ? 0 : HostBench.TRIALS_FAILED;
        }
    }

    /** What a run produced: its dataset file, every trial, and the per-config summary. */
    record Outcome(Path dataset, List<TrialMetrics<Config>> trials, TrialSummary<Config> summary, Options options) {
        List<TrialMetrics<Config>> failed() {
            return trials.stream().filter(t -> !t.ok()).toList();
        }
    }

    private TaskCtxBench() {
    }

    public static void main(String[] args) {
        HostBench.main(new Line(), args);
    }

    static Outcome run(Options options, PrintStream out) throws IOException {
        Path root = HostProvenance.repositoryRoot();
        HostBench.requireRoot("the task-context bench loads BPF and enables BPF run-time statistics");
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus <= READER_CPU)
            throw new IllegalStateException("the task-context bench pins its reader to CPU " + READER_CPU + ": this JVM sees " + cpus + " CPU");
        List<Config> configs = Config.matrix();
        List<HostBench.Planned<Config>> trials = HostBench.plan(configs, options.repetitions(), options.seed());

        HostProvenance host = HostProvenance.here(root);
        Trial.Timing timing = new Trial.Timing(HostBench.nanos(options.warmupSeconds()), HostBench.nanos(options.durationSeconds()));
        out.printf(Locale.ROOT, "gamerlab BPF task-context layout bench (%s): %d configs (taskctx=packed|split x writer+reader|reader-alone|writer-alone) "
                        + "x %d repetitions = %d trials of %.2f s (+%.2f s warm-up), random order (seed %d); writer on CPU %d, reader on CPU %d; "
                        + "about %.0f s%n  kernel %s, %s, git %s%n  -> %s%n",
                options.smoke() ? "smoke" : "full", configs.size(), options.repetitions(), trials.size(), options.durationSeconds(),
                options.warmupSeconds(), options.seed(), WRITER_CPU, READER_CPU,
                trials.size() * (options.warmupSeconds() + options.durationSeconds() + 0.1), host.kernel(), host.cpuModel(), host.gitCommit(),
                options.out());

        Map<String, Path> objects = new LinkedHashMap<>();
        long buildStart = System.nanoTime();
        SchedulerBuild build = new SchedulerBuild(root);
        for (Config c : configs) objects.computeIfAbsent(c.layout(), layout -> build.benchObject(Trial.PROGRAM, c.flags()));
        out.printf(Locale.ROOT, "  %d builds ready in %.1f s: %s%n", objects.size(), (System.nanoTime() - buildStart) / 1e9, objects.values().stream()
                .map(p -> p.getFileName().toString()).toList());

        Map<String, String> settings = BenchOptions.runSettings(options.smoke(), options.seed(), options.repetitions(), options.durationSeconds(),
                options.warmupSeconds());
        settings.put("writer_cpu", Integer.toString(WRITER_CPU));
        settings.put("reader_cpu", Integer.toString(READER_CPU));
        settings.put("cpus", Integer.toString(cpus));
        settings.put("prime_calls", Trial.PRIME_CALLS + " (writer calls before the warm-up: its task context exists before the reader looks)");
        objects.forEach((layout, object) -> settings.put("object." + layout, object.getFileName().toString()));
        settings.put("planned_trials", Integer.toString(trials.size()));

        List<TrialMetrics<Config>> done = new ArrayList<>();
        long runStart = System.nanoTime();
        TrialSummary<Config> summary;
        Map<String, String> ending = new LinkedHashMap<>();
        try (BenchRun<Config, TrialMetrics<Config>> dataset = BenchRun.start(options.out(), BENCH, trials, options.seed(), settings,
                new Naming(objects), host.gitCommit(), options.resume())) {
            try (BpfStats.Enabled stats = BpfStats.enableForRun();
                 CallerThread writer = new CallerThread("taskctx-writer", WRITER_CPU);
                 CallerThread reader = new CallerThread("taskctx-reader", READER_CPU)) {
                ending.put("bpf_stats_enabled_before", stats.previous());
                done.addAll(dataset.runPlan(TrialMetrics::new, (c, repetition, i) -> Trial.run(c, repetition, i, objects.get(c.layout()), timing,
                        writer, reader), (i, r) -> out.println(progress(i, trials.size(), r))));
            }
            summary = new TrialSummary<>(done);
            addDerived(done, summary);
            ending.putAll(BenchRun.ending(done.size(), (System.nanoTime() - runStart) / 1e9));
            dataset.complete(done, ending);
        }
        double elapsed = (System.nanoTime() - runStart) / 1e9;

        out.println();
        printSummary(out, summary);
        out.println();
        LayoutRatios.print(out, summary, options.repetitions());
        out.println(placement(done));
        out.println();
        HostBench.printChecks(out, done, "passed: each program ran for every getpgid of its thread, the writer always had its task context, "
                + "the reader always found it");
        out.printf(Locale.ROOT, "Measured on this host (%s, kernel %s) in %.0f s; dataset %s%n", host.cpuModel(), host.kernel(), elapsed, options.out());
        return new Outcome(options.out(), List.copyOf(done), summary, options);
    }

    /** Per trial with both threads: each one's cost above the mean of its layout's control in which it ran alone. */
    private static void addDerived(List<TrialMetrics<Config>> trials, TrialSummary<Config> summary) {
        for (TrialMetrics<Config> t : trials) {
            if (t.config.threads() != Threads.BOTH) continue;
            for (Threads alone : List.of(Threads.READER_ALONE, Threads.WRITER_ALONE)) {
                String who = alone == Threads.READER_ALONE ? "reader" : "writer";
                Config control = t.config.with(alone);
                String note = "minus the mean of " + control + " (the other thread idle)";
                t.add("derived", who + ".other_thread_cost_ns_per_call", "ns",
                        t.get(who + ".ns_per_call") - summary.mean(control, who + ".ns_per_call"), who + " ns/call " + note);
                t.add("derived", "bpf." + who + ".other_thread_cost_work_ns", "ns",
                        t.get("bpf." + who + ".work_ns_per_call") - summary.mean(control, "bpf." + who + ".work_ns_per_call"),
                        who + " BPF work ns/call " + note);
            }
        }
    }

    /** Where the kernel put the task context's value, per layout: the byte offsets within a cache line seen over the trials. */
    private static String placement(List<TrialMetrics<Config>> trials) {
        Map<String, TreeSet<Long>> offsets = new LinkedHashMap<>();
        for (TrialMetrics<Config> t : trials) {
            double offset = t.get("layout.value_line_offset");
            if (!Double.isNaN(offset)) offsets.computeIfAbsent(t.config.layout(), l -> new TreeSet<>()).add((long) offset);
        }
        List<String> parts = new ArrayList<>();
        offsets.forEach((layout, seen) -> parts.add(layout + " " + seen));
        return "Task context placement: the value started at byte " + String.join(", ", parts)
                + " of its 64-byte cache line (0 = aligned as the compiler assumes; BPF local storage does not promise it).";
    }

    private static String progress(int i, int total, TrialMetrics<Config> r) {
        return String.format(Locale.ROOT, "  [%3d/%d] %-15s %-13s rep %d: reader %6s ns/call (bpf %5s ns/run, work %5s ns)  writer %6s ns/call "
                        + "(bpf %5s ns/run, work %5s ns)  value at +%s  other load %3s%%%s",
                i + 1, total, r.config.variant(), r.config.threads().label, r.repetition, LayoutRatios.one(r.get("reader.ns_per_call")),
                LayoutRatios.one(r.get("bpf.reader.ns_per_run")), LayoutRatios.one(r.get("bpf.reader.work_ns_per_call")),
                LayoutRatios.one(r.get("writer.ns_per_call")), LayoutRatios.one(r.get("bpf.writer.ns_per_run")),
                LayoutRatios.one(r.get("bpf.writer.work_ns_per_call")), DatasetFile.number(r.get("layout.value_line_offset")),
                DatasetFile.number(Math.rint(100 * r.get("host.other_busy_share"))), r.ok() ? "" : "  FAILED " + r.failures());
    }

    private static void printSummary(PrintStream out, TrialSummary<Config> s) {
        out.println("Per config (mean ± sd over repetitions): getpgid ns/call per thread; BPF ns/run and ns per call of the program's own thread "
                + "(early returns for the other thread included), work ns/call timed inside the program");
        for (Config c : Config.matrix()) {
            if (!s.has(c)) continue;
            long failed = s.failedTrials(c);
            out.printf(Locale.ROOT, "  %-15s %-13s n=%d  reader %6s ±%5s ns/call  bpf %5s ns/run %5s ns/call work %5s  |  writer %6s ±%5s ns/call  "
                            + "bpf %5s ns/run %5s ns/call work %5s%s%n",
                    c.variant(), c.threads().label, s.repetitions(c),
                    LayoutRatios.one(s.mean(c, "reader.ns_per_call")), LayoutRatios.one(s.stddev(c, "reader.ns_per_call")),
                    LayoutRatios.one(s.mean(c, "bpf.reader.ns_per_run")), LayoutRatios.one(s.mean(c, "bpf.reader.ns_per_call")),
                    LayoutRatios.one(s.mean(c, "bpf.reader.work_ns_per_call")),
                    LayoutRatios.one(s.mean(c, "writer.ns_per_call")), LayoutRatios.one(s.stddev(c, "writer.ns_per_call")),
                    LayoutRatios.one(s.mean(c, "bpf.writer.ns_per_run")), LayoutRatios.one(s.mean(c, "bpf.writer.ns_per_call")),
                    LayoutRatios.one(s.mean(c, "bpf.writer.work_ns_per_call")), failed == 0 ? "" : "  " + failed + " FAILED");
        }
    }

    // ---- options ----

    /** The options {@code args} give, as the command line reads them; a bad one is a {@link picocli.CommandLine.ParameterException}. */
    static Options parse(String[] args, Path root) {
        return HostBench.parse(new Line(), args, root);
    }
}
