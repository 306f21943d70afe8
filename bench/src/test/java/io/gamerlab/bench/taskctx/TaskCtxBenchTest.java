package io.gamerlab.bench.taskctx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamerlab.bench.HostProvenance;
import io.gamerlab.bench.host.BenchDatasets;
import io.gamerlab.bench.host.BenchRun;
import io.gamerlab.bench.host.HostBench;
import io.gamerlab.bench.host.TrialMetrics;
import io.gamerlab.bench.host.TrialSummary;
import io.gamerlab.bench.taskctx.Config.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task-context layout bench end to end on this kernel in smoke mode (both layouts, each with
 * both threads and with either alone, 0.3 s each), and its parts that need no kernel.
 */
class TaskCtxBenchTest {

    /** A run of the bench, and what it printed. */
    private record Printed(TaskCtxBench.Outcome outcome, String text) {
        static Printed run(String... args) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                TaskCtxBench.Outcome outcome = TaskCtxBench.run(TaskCtxBench.parse(args, HostProvenance.repositoryRoot()), out);
                return new Printed(outcome, bytes.toString(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void theSmokeRunCountsEveryCallInBothLayoutsAndWritesItsDatasetAndRatios(@TempDir Path dir) throws IOException {
        assumeTrue(HostBench.isRoot(), "loading BPF needs root");
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the writer and the reader need a CPU each");
        Path out = dir.resolve("taskctx");
        Printed run = Printed.run("--smoke", "--out", out.toString(), "--seed", "7");
        TaskCtxBench.Outcome outcome = run.outcome();
        String text = run.text();
        System.out.println(text);

        List<TrialMetrics<Config>> trials = outcome.trials();
        assertEquals(Config.matrix().size(), trials.size(), "one trial per config (smoke: one repetition)");
        assertEquals(Set.of("packed", "split"), trials.stream().map(t -> t.config.layout()).collect(Collectors.toSet()), "both layouts ran");
        for (TrialMetrics<Config> t : trials) {
            assertTrue(t.ok(), t + " failed its checks: " + t.failures());
            for (String who : List.of("writer", "reader")) {
                boolean ran = who.equals("writer") ? t.config.writerRuns() : t.config.readerRuns();
                double calls = t.get(who + ".calls");
                if (!ran) {
                    assertEquals(0, calls, t + ": the " + who + " sat idle");
                    continue;
                }
                assertTrue(calls > 0, t + ": the " + who + " called getpgid");
                // The program counts the calls it did its work for; over the measured window that
                // is exactly the thread's getpgid calls (both read while the threads stood still).
                assertEquals(calls, t.get("bpf." + who + ".work_calls"), t + ": the " + who + "'s program ran once per getpgid of its thread");
                assertTrue(t.get("bpf." + who + ".runs") >= calls, t + ": BPF's run_cnt counts those runs too (and early returns)");
                assertTrue(t.get("bpf." + who + ".ns_per_run") > 0, t + ": BPF run-time statistics were read");
                assertTrue(t.get("bpf." + who + ".work_ns_per_call") > 0, t + ": the program timed its work");
                assertTrue(t.get(who + ".ns_per_call") > 0, t + ": getpgid was timed");
            }
            assertEquals(0, t.get("verify.writer_seen"), t + ": the writer's program saw each of its getpgid calls, prime and warm-up included");
            assertEquals(0, t.get("verify.reader_seen"), t + ": the reader's program saw each of its getpgid calls");
            assertEquals(0, t.get("verify.reader_misses"), t + ": the reader found the writer's task context every time");
            if (t.config.readerRuns()) assertEquals(1, t.get("verify.same_task_ctx"), t + ": the reader read what the writer wrote");
            double offset = t.get("layout.value_line_offset");
            assertTrue(offset >= 0 && offset < 64 && offset % 8 == 0, t + ": the value's place in its line, 8-byte aligned at least: " + offset);
        }

        // The dataset: a cell per trial, read back through lib's dataset reader, provenance on every row.
        Table rows = BenchDatasets.assertComplete(out, trials.size(), 7, true);
        for (String variant : List.of("taskctx=packed", "taskctx=split"))
            for (Threads threads : Threads.values())
                assertFalse(rows.where(rows.stringColumn("variant").isEqualTo(variant)
                        .and(rows.stringColumn("workload_params").isEqualTo("threads=" + threads.label))).isEmpty(), variant + " " + threads.label + " rows");
        assertFalse(rows.where(rows.stringColumn("source").isEqualTo("bpf.reader").and(rows.stringColumn("metric").isEqualTo("ns_per_run"))).isEmpty(),
                "BPF run-time rows");
        assertFalse(rows.where(rows.stringColumn("cell_id").isEqualTo(BenchRun.SUMMARY).and(rows.stringColumn("source").isEqualTo("derived"))
                .and(rows.stringColumn("metric").isEqualTo("reader.other_thread_cost_ns_per_call"))).isEmpty(), "cost rows, in the summary");

        // The ratio lines, each measured on both sides, and the costs.
        for (LayoutRatios.Line line : LayoutRatios.Line.values()) {
            List<String> found = text.lines().filter(l -> l.startsWith("  " + line.label)).toList();
            assertEquals(1, found.size(), "one '" + line.label + "' line:\n" + text);
            assertTrue(found.getFirst().substring(line.label.length() + 2).trim().matches("\\d+\\.\\d\\dx .*packed .* vs split .*"), found.getFirst());
        }
        for (String who : List.of("reader", "writer")) {
            for (String layout : List.of("packed", "split")) assertTrue(text.contains(LayoutRatios.COST + ": " + who + ", " + layout), text);
            assertTrue(text.contains(LayoutRatios.FALSE_SHARING + ": " + who), text);
        }
        assertTrue(text.contains("Task context placement: the value started at byte "), text);
        assertTrue(text.contains("Checks: all " + trials.size() + " trials passed"), text);
    }

    @Test
    void aRunKilledMidwayResumesWithOnlyItsMissingTrials(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(HostBench.isRoot(), "loading BPF needs root");
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the writer and the reader need a CPU each");
        Path out = dir.resolve("taskctx");
        List<String> options = List.of("--smoke", "--reps", "2", "--duration", "0.4", "--warmup", "0");
        int planned = 2 * Config.matrix().size();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-Dgamerlab.root=" + HostProvenance.repositoryRoot(), "-cp", System.getProperty("java.class.path"), TaskCtxBench.class.getName(),
                "--out", out.toString(), "--seed", "11"));
        command.addAll(options);
        Process bench = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("bench.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (trialCells(out).size() < 2 && bench.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
        bench.destroyForcibly();  // SIGKILL: no shutdown hook, no finally
        assertTrue(bench.waitFor(60, TimeUnit.SECONDS), "the killed bench ended");
        List<Path> stored = trialCells(out);
        assertTrue(stored.size() >= 2 && stored.size() < planned, "killed with " + stored.size() + " of " + planned + " trials stored:\n"
                + Files.readString(dir.resolve("bench.log")));
        assertFalse(Files.exists(out.resolve(BenchRun.SUMMARY + ".csv")), "a killed run has no summary");
        Map<String, String> kept = new TreeMap<>();
        for (Path p : stored) kept.put(p.getFileName().toString(), Files.readString(p));

        List<String> other = new ArrayList<>(List.of("--resume", out.toString(), "--smoke", "--reps", "2", "--duration", "0.2", "--warmup", "0"));
        int refused = HostBench.execute(new TaskCtxBench.Line(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                other.toArray(String[]::new));
        assertEquals(65, refused, "resuming with other settings is refused");

        List<String> resume = new ArrayList<>(List.of("--resume", out.toString()));
        resume.addAll(options);
        Printed resumed = Printed.run(resume.toArray(String[]::new));
        long ran = resumed.text().lines().filter(l -> l.trim().startsWith("[")).count();
        assertEquals(planned - stored.size(), ran, "only the missing trials ran:\n" + resumed.text());
        assertEquals(planned, resumed.outcome().trials().size(), "the summary covers every trial, stored ones read back");
        BenchDatasets.assertComplete(out, planned, 11, true);
        for (Map.Entry<String, String> e : kept.entrySet())
            assertEquals(e.getValue(), Files.readString(out.resolve(e.getKey())), e.getKey() + " was left as it was");
    }

    private static List<Path> trialCells(Path run) throws IOException {
        if (!Files.isDirectory(run)) return List.of();
        try (Stream<Path> files = Files.list(run)) {
            return files.filter(p -> p.getFileName().toString().matches("t.*\\.csv")).sorted().toList();
        }
    }

    @Test
    void badOptionsSayWhichAndShowTheUsage(@TempDir Path dir) {
        for (String[] args : List.of(new String[] {"--reps", "many"}, new String[] {"--duration"}, new String[] {"--fast"},
                new String[] {"--reps", "0"}, new String[] {"--duration", "0"})) {
            StringWriter err = new StringWriter();
            int status = HostBench.execute(new TaskCtxBench.Line(), new PrintWriter(new StringWriter()), new PrintWriter(err, true), args);
            assertEquals(64, status, String.join(" ", args) + ": " + err);
            assertTrue(err.toString().contains(args[0]) && err.toString().contains("Usage: TaskCtxBench"), err.toString());
        }
        TaskCtxBench.Options smoke = TaskCtxBench.parse(new String[] {"--smoke", "--seed", "3"}, dir);
        assertEquals(1, smoke.repetitions());
        assertEquals(3, smoke.seed());
        assertTrue(smoke.out().startsWith(dir.resolve("datasets/taskctx")), smoke.out().toString());
        TaskCtxBench.Options full = TaskCtxBench.parse(new String[] {"--reps", "4", "--duration", "1.5", "--warmup", "0"}, dir);
        assertEquals(List.of(4, 1.5, 0.0), List.of(full.repetitions(), full.durationSeconds(), full.warmupSeconds()));
    }

    @Test
    void theCommandLineExits64OnABadOptionWithoutAStackTrace() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TaskCtxBench.class.getName(), "--reps", "many")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "it ends");
        assertEquals(64, p.exitValue(), output);
        assertTrue(output.contains("'--reps'") && output.contains("'many'") && output.contains("Usage: TaskCtxBench"), output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
    }

    @Test
    void theLayoutsAreTheTaskctxAxisAndItsMacro() {
        assertEquals(List.of(), new Config("packed", Threads.BOTH).flags(), "packed is the default build");
        assertEquals(List.of("-DGAMER_TASKCTX_SPLIT"), new Config("split", Threads.BOTH).flags());
        assertEquals("taskctx=split", new Config("split", Threads.READER_ALONE).variant());
        assertThrows(IllegalArgumentException.class, () -> new Config("padded", Threads.BOTH));
        assertEquals(6, Config.matrix().size(), "2 layouts x 3 thread choices");
    }

    @Test
    void theRatioPrinterSaysNaForWhatARunDidNotMeasure() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            LayoutRatios.print(ps, new TrialSummary<>(List.<TrialMetrics<Config>>of()), 3);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        for (LayoutRatios.Line line : LayoutRatios.Line.values()) {
            List<String> found = text.lines().filter(l -> l.startsWith("  " + line.label)).toList();
            assertEquals(1, found.size(), text);
            assertTrue(found.getFirst().substring(line.label.length() + 2).trim().startsWith("n/a"), found.getFirst());
        }
        assertTrue(text.lines().filter(l -> l.contains(LayoutRatios.COST)).allMatch(l -> l.trim().endsWith("n/a")), text);
    }
}
