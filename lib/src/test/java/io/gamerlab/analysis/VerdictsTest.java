package io.gamerlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Verdicts from datasets written here with known effects, in each shape the workbench stores
 * (host-bench CSV, run tables, JMH JSON), and from the committed datasets.
 */
class VerdictsTest {

    /** A ring-bench-like run: shared rings cost {@code shared} ns, per-CPU rings {@code percpu}, with libbpf and mmap consumers. */
    private static void benchRun(Path dir, String startedAt, Synthetic data, int reps, double shared, double percpu, double sd) {
        Cells run = Cells.hostRun(dir, "abc", startedAt);
        for (String consumer : List.of("libbpf", "mmap")) {
            double[] s = data.normal(reps, shared, sd).values(), p = data.normal(reps, percpu, sd).values();
            String params = "consumer=" + consumer + ",producers=2,notify=1";
            for (int r = 0; r < reps; r++) {
                run.row("ringbuf=shared,batch=1", params, r, "bpf", "ns_per_run", "ns", s[r], "ok");
                run.row("ringbuf=percpu,batch=1", params, r, "bpf", "ns_per_run", "ns", p[r], "ok");
            }
        }
        run.setting("seed", "seed 42, printed").write();
    }

    private static final String LEDGER = """
            claims:
              - id: contention
                proposal: 1
                statement: "shared rings cost 20-50 ns more per write"
                seed: "the seed"
                effect: {kind: saving, unit: ns, min: 20, max: 50}
                measures:
                  - id: contention.bench
                    dataset: bench
                    metric: bpf.ns_per_run
                    what: "BPF ns per run"
                    fixed: {batch: "1", consumer: libbpf}
                    control: {ringbuf: shared}
                    variant: {ringbuf: percpu}
                    clocks: [host]
                    context: [run.seed]
                    needs: "the bench"
                  - id: contention.absent-metric
                    dataset: bench
                    metric: bpf.latency_ns
                    what: "latency"
                    fixed: {batch: "1", consumer: libbpf}
                    control: {ringbuf: shared}
                    variant: {ringbuf: percpu}
                    clocks: [host]
                    needs: "a latency bench"
                  - id: contention.absent-dataset
                    dataset: nowhere
                    metric: x
                    what: "x"
                    control: {ringbuf: shared}
                    variant: {ringbuf: percpu}
                    clocks: [host]
                    requires: [sched_ext, pmu]
                    needs: "sched_ext hardware"
                  - id: contention.guest
                    dataset: guest
                    metric: scheduler.wait_ns
                    what: "wait"
                    control: {ringbuf: shared}
                    variant: {ringbuf: percpu}
                    clocks: [host, kvm-virtualized]
                    needs: "a real clock"
                  - id: contention.jvm
                    dataset: jmh
                    metric: primary
                    transform: ns_per_op
                    what: "JVM analog"
                    fixed: {benchmark: RingWritersBench.drain, writers: "2"}
                    control: {mode: lock}
                    variant: {mode: perWriter}
                    clocks: [host]
                    needs: "JMH"
            """;

    /** Runs r1 (older: no effect) and r2 (newer: a saving of 35 ns, n = 8), a TCG guest dataset, a JMH file. */
    private static Path datasets(Path root) throws IOException {
        Synthetic data = new Synthetic(21);
        benchRun(root.resolve("bench/r1"), "2026-11-21T00:00:00Z", data, 8, 400, 400, 3);
        benchRun(root.resolve("bench/r2"), "2026-11-22T00:00:00Z", data, 8, 400, 365, 3);
        Cells guest = new Cells(root.resolve("guest"), "guest-tcg", "tcg-emulated", "abc", java.time.Instant.parse("2026-11-20T00:00:00Z"));
        for (int i = 0; i < 6; i++)
            guest.row(i % 2 == 0 ? "ringbuf=shared" : "ringbuf=percpu", "", i / 2, "scheduler", "wait_ns", "ns", 1000 + 50 * i, "ok");
        guest.write();
        Files.createDirectories(root.resolve("jmh"));
        Files.writeString(root.resolve("jmh/j1.json"), """
                [ {"benchmark": "io.gamerlab.bench.RingWritersBench.drain", "mode": "thrpt", "params": {"mode": "lock", "writers": "2"},
                   "primaryMetric": {"score": 10, "scoreUnit": "ops/us", "rawData": [[10, 10], [20, 20], [10, 10]]},
                   "secondaryMetrics": {"events": {"score": 1, "scoreUnit": "#", "rawData": [[1], [1], [1]]}}},
                  {"benchmark": "io.gamerlab.bench.RingWritersBench.drain", "mode": "thrpt", "params": {"mode": "perWriter", "writers": "2"},
                   "primaryMetric": {"score": 100, "scoreUnit": "ops/us", "rawData": [[100, 100], [100, 100], [50, 150]]}} ]
                """);
        Files.writeString(root.resolve("jmh/j1.provenance.properties"), "backend=host-jvm\nclock=host\n");
        return root;
    }

    @Test
    void eachMeasureGetsTheVerdictItsDataDeservesFromTheNewestRun(@TempDir Path dir) throws IOException {
        Path ledgerFile = Files.writeString(dir.resolve("ledger.yaml"), LEDGER);
        Verdicts v = Verdicts.evaluate(Ledger.load(ledgerFile), datasets(dir.resolve("datasets")));
        Verdict bench = v.of("contention.bench");
        assertEquals(Verdict.Kind.SUPPORTED, bench.kind(), bench.why());
        assertEquals("bench/r2", bench.series(), "the newest run");
        assertEquals(35, bench.effect().orElseThrow().estimate(), 4);
        assertEquals(8, bench.effect().orElseThrow().control().n(), "libbpf only: the fixed consumer");
        assertTrue(bench.why().contains("run.seed: seed 42, printed"), bench.why());
        assertTrue(bench.why().contains("older runs answer otherwise: bench/r1 refuted ("), "r1 has no effect: " + bench.why());
        assertEquals("host", bench.clock());

        Verdict metric = v.of("contention.absent-metric");
        assertEquals(Verdict.Kind.UNTESTABLE, metric.kind());
        assertTrue(metric.why().contains("has no rows of bpf.latency_ns") && metric.why().contains("needs a latency bench"), metric.why());
        Verdict dataset = v.of("contention.absent-dataset");
        assertEquals(Verdict.Kind.UNTESTABLE, dataset.kind());
        assertTrue(dataset.why().contains("no dataset in datasets/nowhere") && dataset.why().contains("sched_ext hardware"), dataset.why());
        // What this machine lacks is checked, not assumed: said exactly when the check finds it missing.
        List<String> lacking = java.util.stream.Stream.of(Requirement.values()).flatMap(r -> r.missingHere().stream()).toList();
        lacking.forEach(why -> assertTrue(dataset.why().contains(why), dataset.why()));
        assertEquals(!lacking.isEmpty(), dataset.why().contains("this machine:"), dataset.why());
        if (!io.gamerlab.sched.SchedExtState.kernelHasSchedExt())
            assertTrue(dataset.why().contains("has no sched_ext"), "this kernel has none: " + dataset.why());
        Verdict guest = v.of("contention.guest");
        assertEquals(Verdict.Kind.UNTESTABLE, guest.kind(), guest.why());
        assertTrue(guest.why().contains("[tcg-emulated] clock"), guest.why());
        assertEquals("guest-tcg", guest.backend());

        // JMH: per fork, 1000 / mean(iterations) ns: lock 100, 50, 100; perWriter 10, 10, 10.
        Effect jvm = v.of("contention.jvm").effect().orElseThrow();
        assertEquals(250.0 / 3 - 10, jvm.estimate(), 1e-9);
        assertEquals("ns", jvm.unit());
        assertEquals(3, jvm.variant().n());
        assertEquals("host-jvm", v.of("contention.jvm").backend());

        Table t = v.table();
        assertEquals(5, t.rowCount());
        assertEquals(35, t.doubleColumn("estimate").getDouble(0), 4);
        assertTrue(t.doubleColumn("estimate").isMissing(1), "untestable: no number");
        assertEquals("supported", t.stringColumn("verdict").get(0));
        String text = VerdictReport.text(v);
        for (Verdict each : v.all()) assertTrue(text.contains(each.measure().id()), each.measure().id());
        assertFalse(text.contains("NaN"), text);
        assertEquals(2 + 5 + 2, VerdictReport.markdown(v).lines().count(), "header, rule, a row per verdict, blank, method");
    }

    @Test
    void everyRunGivesOneVerdictPerRun(@TempDir Path dir) throws IOException {
        Ledger ledger = Ledger.load(Files.writeString(dir.resolve("ledger.yaml"), LEDGER));
        Verdicts v = Verdicts.evaluate(new Ledger(List.of(ledger.claim("contention"))), datasets(dir.resolve("datasets")),
                Bootstrap.standard(), true);
        List<Verdict> bench = v.all().stream().filter(x -> x.measure().id().equals("contention.bench")).toList();
        assertEquals(List.of("bench/r2", "bench/r1"), bench.stream().map(Verdict::series).toList(), "newest first");
        assertEquals(Verdict.Kind.REFUTED, bench.get(1).kind(), "r1 has no effect: " + bench.get(1).why());
    }

    @Test
    void aComparisonThatWouldPoolConfigurationsIsRefusedNamingTheColumn(@TempDir Path dir) throws IOException {
        // The first measure without its consumer pinned: libbpf and mmap trials would pool as one sample.
        Ledger unpinned = Ledger.load(Files.writeString(dir.resolve("ledger.yaml"),
                LEDGER.replaceFirst("fixed: \\{batch: \"1\", consumer: libbpf\\}", "fixed: {batch: \"1\"}")));
        Path data = datasets(dir.resolve("datasets"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Verdicts.evaluate(unpinned, data));
        assertTrue(e.getMessage().contains("consumer = [libbpf, mmap]") && e.getMessage().contains("contention.bench"), e.getMessage());
        Ledger unknownColumn = Ledger.load(Files.writeString(dir.resolve("ledger.yaml"), LEDGER.replace("consumer: libbpf}", "consumr: libbpf}")));
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> Verdicts.evaluate(unknownColumn, data));
        assertTrue(c.getMessage().contains("filters on 'consumr'") && c.getMessage().contains("consumer"), c.getMessage());
    }

    @Test
    void theCommittedLedgerGetsAVerdictForEveryMeasureFromTheCommittedDatasets() throws IOException {
        Ledger ledger = Ledger.load(LedgerTest.ROOT.resolve(Ledger.DEFAULT));
        Verdicts v = Verdicts.evaluate(ledger, LedgerTest.ROOT.resolve("datasets"));
        assertEquals(ledger.claims().stream().mapToInt(c -> c.measures().size()).sum(), v.all().size());
        java.util.Map<String, Observations> loaded = new java.util.HashMap<>();
        for (Verdict each : v.all()) {
            Path dir = LedgerTest.ROOT.resolve("datasets").resolve(each.measure().dataset());
            boolean measured = Observations.present(dir)
                    && loaded.computeIfAbsent(each.measure().dataset(), d -> Observations.load(dir)).hasMetric(each.measure().metric());
            assertEquals(measured, each.effect().isPresent(), each.measure().id() + ": " + each.why());
            each.effect().ifPresent(e -> assertTrue(e.control().n() >= 3 && e.variant().n() >= 3, each.measure().id()));
            if (!measured) assertEquals(Verdict.Kind.UNTESTABLE, each.kind(), each.measure().id());
        }
        System.out.println(VerdictReport.text(v));
    }

    @Test
    void aRateOfAllProducersFromEachOnesTimePerEventWithTheBurstFromTheVariantText(@TempDir Path dir) throws IOException {
        // Per-producer CPU ns per event: 100 alone, 125 with two producers, at burst 50; burst 16 rows must not be pooled in.
        Cells run = Cells.hostRun(dir.resolve("data/bench/r1"), "abc", "2026-11-20T00:00:00Z");
        for (int rep = 0; rep < 5; rep++)
            for (String burst : List.of("16", "50"))
                for (String producers : List.of("1", "2")) {
                    double ns = (producers.equals("1") ? 100 : 125) * (burst.equals("16") ? 3 : 1) + (rep - 2) * 0.5;
                    run.row("ringbuf=percpu,batch=1,burst=" + burst, "consumer=none,producers=" + producers + ",notify=1", rep, "producer",
                            "cpu_ns_per_event", "ns", ns, "ok");
                }
        run.write();
        Ledger ledger = Ledger.load(Files.writeString(dir.resolve("ledger.yaml"), """
                claims:
                  - id: scaling
                    proposal: 1
                    statement: "linear"
                    seed: "the seed"
                    effect: {kind: ratio, unit: x, min: 1.8, max: 2.0}
                    measures:
                      - id: scaling.bench
                        dataset: bench
                        metric: producer.cpu_ns_per_event
                        transform: per_s
                        multiply_by: producers
                        what: "events per CPU-second, all producers"
                        fixed: {ringbuf: percpu, batch: "1", burst: "50", consumer: none, notify: "1"}
                        control: {producers: "1"}
                        variant: {producers: "2"}
                        clocks: [host]
                        needs: "the bench"
                """));
        Verdict v = Verdicts.evaluate(ledger, dir.resolve("data")).of("scaling.bench");
        Effect e = v.effect().orElseThrow();
        assertEquals(1e9 / 100, e.control().mean(), 1e9 / 100 * 1e-3, "one producer: 1e9 / its ns per event");
        assertEquals(2 * 1e9 / 125, e.variant().mean(), 2 * 1e9 / 125 * 1e-3, "two producers: twice 1e9 / each one's ns per event");
        assertEquals(1.6, e.estimate(), 1e-3);
        assertEquals(Verdict.Kind.REFUTED, v.kind(), v.why());
    }
}
