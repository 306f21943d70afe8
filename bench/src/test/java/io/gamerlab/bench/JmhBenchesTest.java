package io.gamerlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.VerboseMode;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Smoke tests: every bench runs (in this JVM, forks(0), smoke timings), yields positive scores and
 * a JSON that {@link JmhResults} reads with its provenance; one bench goes through the real runner
 * with a forked JVM; the aggregation checksum catches a lost event. Numbers are not checked: they
 * are noise at these settings.
 */
class JmhBenchesTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(classes = {FalseSharingBench.class, RingWritersBench.class, AccessPatternBench.class, AggregationBench.class})
    void eachBenchRunsInSmokeModeAndLoads(Class<?> bench) throws Exception {
        Path json = tmp.resolve(bench.getSimpleName() + ".json");
        Collection<RunResult> results = new Runner(JmhBenches.options(true, List.of(bench), json)
                .forks(0).verbosity(VerboseMode.SILENT).build()).run();

        assertFalse(results.isEmpty(), "no results for " + bench.getSimpleName());
        for (RunResult r : results)
            assertTrue(r.getPrimaryResult().getScore() > 0,
                    r.getParams().getBenchmark() + " " + r.getParams() + " scored " + r.getPrimaryResult().getScore());

        Table t = JmhResults.load(json);
        assertEquals(JmhResults.COLUMNS, t.columnNames());
        long primaries = t.stringColumn("metric").isEqualTo("primary").size();
        assertEquals(results.size(), primaries);
        for (Row row : t) {
            assertTrue(row.getString("benchmark").startsWith(bench.getSimpleName() + "."), row.getString("benchmark"));
            assertEquals("host-jvm", row.getString("backend"));
            assertEquals("host", row.getString("clock"));
            assertFalse(row.getString("cpu_model").isBlank());
            assertFalse(row.getString("kernel").isBlank());
            assertFalse(row.getString("jdk").isBlank());
            assertFalse(row.getString("git_commit").isBlank());
        }
        if (bench == RingWritersBench.class) {
            for (String mode : List.of("single", "cas", "lock", "perWriter")) {
                double avg = JmhResults.score(t, "RingWritersBench.drain", "avg_batch_size", Map.of("mode", mode));
                double pct = JmhResults.score(t, "RingWritersBench.drain", "batch_percent", Map.of("mode", mode));
                assertTrue(avg >= 1, mode + " average batch " + avg);
                assertTrue(pct >= 0 && pct < 100, mode + " batch percent " + pct);
            }
        }
    }

    @Test
    void runnerForksWritesJsonWithProvenanceAndPrintsRatios() throws Exception {
        Path json = tmp.resolve("datasets/jmh/run.json");
        Table t = JmhBenches.run(true, json, List.of(JmhBenches.bench("falsesharing")));

        assertTrue(Files.exists(json));
        HostProvenance prov = HostProvenance.read(HostProvenance.sidecarOf(json));
        assertEquals("host-jvm", prov.backend());
        assertEquals(System.getProperty("java.version"), t.stringColumn("jdk").get(0));
        assertEquals(prov.gitCommit(), t.stringColumn("git_commit").get(0));

        String report = JmhResults.ratios(t);
        assertTrue(report.contains("packed/split"), report);
        assertFalse(report.contains("packed/split   both=n/a"), report);
        assertTrue(report.contains("n/a"), "benches the run did not include must read n/a:\n" + report);
    }

    @Test
    void ratiosOfAnEmptyRunAreAllNotAvailable() {
        Table empty = Table.create("empty");
        for (String c : JmhResults.COLUMNS)
            empty.addColumns(c.startsWith("score") ? tech.tablesaw.api.DoubleColumn.create(c) : tech.tablesaw.api.StringColumn.create(c));
        String report = JmhResults.ratios(empty);
        assertFalse(report.matches("(?s).*\\d+\\.\\d{3}.*"), report);
        assertTrue(report.contains("n/a"));
    }

    @Test
    void anUnknownBenchOrOptionGetsItsNameAndTheUsage() {
        for (String[] args : List.of(new String[] {"--smoke", "NoSuchBench"}, new String[] {"--fast"})) {
            java.io.StringWriter err = new java.io.StringWriter();
            int status = io.gamerlab.bench.host.HostBench.execute(new JmhBenches.Line(), new java.io.PrintWriter(new java.io.StringWriter()),
                    new java.io.PrintWriter(err, true), args);
            assertEquals(64, status, err.toString());
            assertTrue(err.toString().contains(args[args.length - 1]) && err.toString().contains("Usage: JmhBenches"), err.toString());
        }
    }

    // ---------------------------------------------------------------- the aggregation checksum

    @Test
    void checksumAcceptsACompleteRun() {
        AggregationBench.Checksum expected = AggregationBench.Checksum.expected(2, 1000);
        AggregationBench.Checksum seen = new AggregationBench.Checksum();
        for (int i = 999; i >= 0; i--) seen.add(AggregationBench.Checksum.event(1, i));   // any order
        for (int i = 0; i < 1000; i++) seen.add(AggregationBench.Checksum.event(0, i));
        expected.verify(seen);
    }

    @Test
    void checksumDetectsALostEvent() {
        AggregationBench.Checksum expected = AggregationBench.Checksum.expected(2, 1000);
        AggregationBench.Checksum seen = new AggregationBench.Checksum();
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < 1000; i++)
                if (!(p == 1 && i == 500)) seen.add(AggregationBench.Checksum.event(p, i));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> expected.verify(seen));
        assertTrue(e.getMessage().contains("lost or duplicated"), e.getMessage());
    }

    @Test
    void checksumDetectsALostEventHiddenByADuplicate() {
        // same count, and a plain sum would match too: 3 + 5 lost, 4 + 4 seen
        AggregationBench.Checksum expected = new AggregationBench.Checksum();
        AggregationBench.Checksum seen = new AggregationBench.Checksum();
        for (long v : new long[] {3, 4, 5}) expected.add(v);
        for (long v : new long[] {4, 4, 4}) seen.add(v);
        assertThrows(IllegalStateException.class, () -> expected.verify(seen));
    }

    @Test
    void sinkReportsARunWhoseLastEventNeverArrives() throws InterruptedException {
        AggregationBench.Sink sink = new AggregationBench.Sink(3);
        sink.accept(AggregationBench.Checksum.event(0, 0));
        sink.accept(AggregationBench.Checksum.event(0, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> sink.awaitRun(50, TimeUnit.MILLISECONDS));
        assertTrue(e.getMessage().contains("events lost"), e.getMessage());
        sink.accept(AggregationBench.Checksum.event(0, 2));   // late, but complete
        AggregationBench.Checksum.expected(1, 3).verify(sink.awaitRun(1, TimeUnit.SECONDS));
    }
}
