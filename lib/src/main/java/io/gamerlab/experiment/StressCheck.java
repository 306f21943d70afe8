package io.gamerlab.experiment;

import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.util.FileHash;
import io.gamerlab.sched.SchedExtLog;
import io.gamerlab.sched.SchedExtState;
import io.gamerlab.sched.Scheduler;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import tech.tablesaw.api.Table;

/**
 * The sched_ext project's stress test, run on this kernel for each scheduler of a plan in turn:
 * the scheduler is loaded, stress-ng runs CPU, fork and affinity-churn stressors (its own
 * affinity changes, and a parent changing its children's affinity and policy) on every CPU beside
 * an {@link AffinityChurn} (threads whose affinity changes while they sleep), and the harness
 * samples sched_ext's state throughout, then unloads the scheduler and reads the
 * kernel's verdict from its log. It judges nothing: the rows say what happened, for a test to
 * judge. Rows (source {@code sched_ext}): {@code enabled_at_start}, {@code enabled_throughout}
 * (note: when it first was not), {@code ejected} (the kernel logged an error end; note: its
 * reason and message), {@code exit_kind} (ours: the kernel's exit kind; note: reason),
 * {@code disabled_after}, {@code state_samples} and {@code longest_sample_gap}; the kernel's events ({@code sched_ext_event}); stress-ng's exit status
 * and bogo operations per stressor ({@code stress}); the churn's wake-ups and moves ({@code churn});
 * our scheduler's statistics.
 */
public final class StressCheck {

    /** How often the state is sampled while stress-ng runs. */
    private static final Duration SAMPLE = Duration.ofMillis(500);
    /** How long a scheduler may take from its start to showing as enabled (an emulated guest loads slowly). */
    private static final Duration ENABLE_WITHIN = Duration.ofSeconds(60);
    /** How long stress-ng may overrun its timeout before it is killed (stressors are reaped at the end). */
    private static final Duration STRESS_GRACE = Duration.ofSeconds(60);
    static final String STRESS_NG = "/usr/bin/stress-ng";

    private StressCheck() { }

    /** Runs the plan: subject i's BPF object, for ours, is {@code objects/i.bpf.o}; logs go to {@code logs}. */
    public static Table run(StressPlan plan, Path objects, Path logs, String backend, String clock, String gitCommit)
            throws InterruptedException, IOException {
        Table all = null;
        for (int i = 0; i < plan.subjects().size(); i++) {
            StressPlan.Subject subject = plan.subjects().get(i);
            Path object = objects.resolve(i + ".bpf.o");
            Provenance provenance = Provenance.startingNow(new Provenance.Cell("stress-check", UUID.randomUUID().toString(), 1,
                    OptionalLong.empty(), true, subject.label(), subject.isOurs() ? FileHash.sha256(object) : "", "stress-ng", "", ""),
                    Provenance.Machine.here(backend, clock), gitCommit);
            RunTable table = new RunTable(provenance);
            long start = System.nanoTime();
            check(subject, object, plan.duration(), logs, i, table);
            System.out.printf("gamerlab: stressed %s in %.1f s%n", subject.label(), (System.nanoTime() - start) / 1e9);
            if (all == null) all = table.table().setName("stress check");
            else all.append(table.table());
        }
        return all;
    }

    private static void check(StressPlan.Subject subject, Path object, Duration duration, Path logs, int index, RunTable table)
            throws InterruptedException, IOException {
        if (!SchedExtState.read().state().equals("disabled"))
            throw new IllegalStateException("sched_ext is " + SchedExtState.read().state() + " before " + subject.label() + " starts");
        int logBefore = SchedExtLog.read().size();
        Started started = subject.isOurs() ? startOurs(subject, object) : startExternal(subject, logs.resolve(index + "-scheduler.log"));
        String ops = subject.isOurs() ? Scheduler.OPS_NAME : subject.ops();
        boolean enabled = awaitEnabled(ops, started);
        table.add("sched_ext", "enabled_at_start", "bool", enabled ? 1 : 0);
        Process stress = startStress(duration, logs.resolve(index + "-stress.log"), logs.resolve(index + "-stress.yaml"));
        Sampling sampling;
        try (AffinityChurn churn = AffinityChurn.start()) {
            sampling = sample(stress, ops, duration.plus(STRESS_GRACE));
            table.add("churn", "sleeper_wakeups", "count", churn.wakeups());
            table.add("churn", "affinity_moves", "count", churn.moves());
        }
        table.row("sched_ext", "enabled_throughout", "bool", enabled && sampling.firstNotEnabled == null ? 1 : 0, "ok",
                sampling.firstNotEnabled == null ? "" : "not enabled " + sampling.firstNotEnabled);
        table.add("sched_ext", "state_samples", "count", sampling.samples);
        table.add("sched_ext", "longest_sample_gap", "s", sampling.longestGapNanos / 1e9);
        table.add("stress", "exit_status", "code", stress.exitValue());
        bogoOps(logs.resolve(index + "-stress.yaml")).forEach((stressor, n) -> table.add("stress", "bogo_ops." + stressor, "count", n));
        started.stop(table);
        sampling.events.forEach((name, value) -> table.add("sched_ext_event", name, name.endsWith("duration") ? "ns" : "count", value));
        List<String> log = SchedExtLog.read();
        List<SchedExtLog.Disable> ends = SchedExtLog.disables(log.subList(Math.min(logBefore, log.size()), log.size())).stream()
                .filter(d -> d.scheduler().equals(ops)).toList();
        boolean ejected = ends.stream().anyMatch(SchedExtLog.Disable::error);
        table.row("sched_ext", "ejected", "bool", ejected ? 1 : 0, "ok", ends.stream()
                .map(d -> d.reason() + (d.message().isEmpty() ? "" : ": " + d.message())).reduce((a, b) -> a + "; " + b).orElse("no end logged"));
        table.add("sched_ext", "disabled_after", "bool", SchedExtState.read().state().equals("disabled") ? 1 : 0);
    }

    /** A scheduler started by the harness, stopped by it once the stress is over. */
    private interface Started {
        boolean alive();

        /** Unloads it and records how it ended. */
        void stop(RunTable table) throws InterruptedException;
    }

    private static Started startOurs(StressPlan.Subject subject, Path object) {
        Scheduler scheduler = Scheduler.load(object, subject.tunables());
        return new Started() {
            @Override
            public boolean alive() {
                return true;
            }

            @Override
            public void stop(RunTable table) {
                scheduler.close();
                table.row("sched_ext", "exit_kind", "code", scheduler.exitReport().kind(), "ok", scheduler.exitReport().reason());
                table.addSchedulerStatistics(scheduler.statistics());
            }
        };
    }

    /** Another loader: it runs until SIGTERM and then prints "EXIT: reason" as the kernel's sched_ext examples do. */
    private static Started startExternal(StressPlan.Subject subject, Path log) throws IOException {
        Process process = new ProcessBuilder(subject.command()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Started() {
            @Override
            public boolean alive() {
                return process.isAlive();
            }

            @Override
            public void stop(RunTable table) throws InterruptedException {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
                String exit = exitLine(log);
                table.row("sched_ext", "exit_kind", "code", Double.NaN, "unsupported",
                        "another loader's exit kind is not ours to read; it printed: " + exit);
                table.add("sched_ext", "loader_exit_status", "code", process.exitValue());
            }
        };
    }

    private static String exitLine(Path log) {
        try {
            return Files.readAllLines(log).stream().filter(l -> l.startsWith("EXIT: ")).findFirst().orElse("(no EXIT line)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean awaitEnabled(String ops, Started started) throws InterruptedException {
        long deadline = System.nanoTime() + ENABLE_WITHIN.toNanos();
        while (System.nanoTime() < deadline && started.alive()) {
            SchedExtState now = SchedExtState.read();
            if (now.enabled() && now.ops().equals(ops)) return true;
            Thread.sleep(SAMPLE);
        }
        return false;
    }

    /** stress-ng as sched_ext's CI runs it, with a parent churning its children's affinity too, on every CPU. */
    private static Process startStress(Duration duration, Path log, Path yaml) throws IOException {
        String n = Integer.toString(Runtime.getRuntime().availableProcessors());
        List<String> argv = new ArrayList<>(List.of(STRESS_NG, "--timeout", duration.toSeconds() + "s", "--aggressive",
                "--metrics-brief", "--cpu", n, "--fork", n, "--affinity", n, "--race-sched", n,
                "--temp-path", System.getProperty("java.io.tmpdir"), "--yaml", yaml.toString()));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).directory(new File("/tmp")).start();
    }

    private static final class Sampling {
        int samples;
        long longestGapNanos;
        String firstNotEnabled;
        Map<String, Long> events = Map.of();
    }

    /** Samples the state until stress-ng exits; the kernel's events are taken while the scheduler is still ours. */
    private static Sampling sample(Process stress, String ops, Duration limit) throws InterruptedException {
        Sampling s = new Sampling();
        long start = System.nanoTime();
        long last = start;
        while (!stress.waitFor(SAMPLE.toMillis(), TimeUnit.MILLISECONDS)) {
            long at = System.nanoTime();
            s.longestGapNanos = Math.max(s.longestGapNanos, at - last);
            last = at;
            if (at - start > limit.toNanos()) {
                stress.destroyForcibly().waitFor();
                throw new IllegalStateException("stress-ng ran " + limit + " without exiting");
            }
            SchedExtState now = SchedExtState.read();
            s.samples++;
            if (now.enabled() && now.ops().equals(ops)) {
                Map<String, Long> events = SchedExtState.events();
                if (!events.isEmpty()) s.events = events;
            } else if (s.firstNotEnabled == null) {
                s.firstNotEnabled = String.format("%.1f s into the stress: state %s, ops '%s'", (at - start) / 1e9,
                        now.state(), now.ops());
            }
        }
        s.longestGapNanos = Math.max(s.longestGapNanos, System.nanoTime() - last);
        return s;
    }

    /** Bogo operations per stressor from stress-ng's YAML ("- stressor: cpu" then "bogo-ops: 123"). */
    static Map<String, Long> bogoOps(Path yaml) throws IOException {
        Map<String, Long> ops = new java.util.LinkedHashMap<>();
        if (!Files.isRegularFile(yaml)) return ops;
        String stressor = null;
        for (String line : Files.readAllLines(yaml)) {
            String t = line.trim();
            if (t.startsWith("- stressor: ")) stressor = t.substring("- stressor: ".length()).trim();
            else if (t.startsWith("bogo-ops: ") && stressor != null) ops.put(stressor, Long.parseLong(t.substring("bogo-ops: ".length()).trim()));
        }
        return ops;
    }
}
