package io.gamerlab.bench.ringbuf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamerlab.bench.host.BenchDatasets;
import io.gamerlab.bench.ringbuf.Config.ConsumerKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;
import tech.tablesaw.api.Table;

/**
 * The ring-buffer bench end to end on this kernel in smoke mode (live: shared and per-CPU rings,
 * batch 1 and 8, both consumers, 1 and N producers, 0.2 s each, plus prefetch on and sampled
 * notification at one point; producer-only: shared and per-CPU rings, 1 and N producers, bursts 1
 * and 50, batch 8 at burst 50; the baselines), the kernel's own bench in the same plan (when its
 * source is in the cache already: fetching it is the bench's first run, not a test's), and its
 * parts that need no kernel.
 */
class RingbufBenchTest {

    private static boolean root() throws IOException {
        return Files.readString(Path.of("/proc/self/status")).lines().anyMatch(line -> line.matches("Uid:\\s+\\d+\\s+0\\s.*"));
    }

    @Test
    void badOptionsAreNamedWithTheUsageAndGoodOnesParsed(@TempDir Path dir) {
        assertTrue(refused(dir, "--reps", "x").contains("'--reps'"), "a value that is not a number");
        assertTrue(refused(dir, "--producers", "1,two").contains("--producers = 1,two is not allowed; allowed: whole numbers"));
        refused(dir, "--sampled", "1");
        assertTrue(refused(dir, "--bogus").contains("Unknown option: '--bogus'"));
        String phases = refused(dir, "--phases", "live,consumer-only");
        assertTrue(phases.contains("allowed: live, producer-only, kernel") && phases.contains("consumer-only"), phases);
        assertTrue(refused(dir, "--bursts", "0").contains("--bursts = 0 is not allowed; allowed: whole numbers from 1 to 65535"));
        refused(dir, "--events", "0");
        refused(dir, "--prefetch", "maybe");
        refused(dir, "--live", "some");
        assertTrue(RingbufBench.matrix(RingbufBench.parse(new String[] {"--phases", "live", "--prefetch", "off"}, dir)).stream().noneMatch(Config::prefetch),
                "a full live matrix without prefetch=on when asked");
        List<Config> ratios = RingbufBench.matrix(RingbufBench.parse(new String[] {"--phases", "live", "--live", "ratios", "--prefetch", "off",
                "--producers", "1,2"}, dir));
        assertEquals(2 * (1 + 2 + 1 + 1 + 1) + 2, ratios.size(), "per producer count: the reference, its other two layouts, batch 8, mmap, "
                + "sampled; and the baselines: " + ratios);
        RingbufBench.Options o = RingbufBench.parse(new String[] {"--smoke", "--producers", "2,1,2", "--consumer-cpu", "none",
                "--out", dir.resolve("x").toString()}, dir);
        assertEquals(List.of(1, 2), o.producers());
        assertEquals(-1, o.consumerCpu());
        assertEquals(1, o.repetitions());
        assertEquals(java.util.Set.of(RingbufBench.LIVE, RingbufBench.PRODUCER_ONLY), o.phases(), "both kinds of trial by default");
        RingbufBench.Options only = RingbufBench.parse(new String[] {"--phases", "producer-only", "--bursts", "8,2", "--producers", "1"}, dir);
        assertEquals(5, only.repetitions(), "five repetitions per point in a full run");
        assertEquals(List.of(2, 8), only.bursts());
        assertTrue(RingbufBench.matrix(only).stream().allMatch(c -> c.producerOnly() || c.baseline()), "no live trial: " + RingbufBench.matrix(only));
        assertTrue(RingbufBench.matrix(only).contains(Config.producerOnly("sharded", 8, 1, 8)), "batch 8 at the largest burst, every layout");
    }

    /** The message a bad command line gets: picocli's refusal, the option named, then the usage. */
    private static String refused(Path dir, String... args) {
        ParameterException e = assertThrows(ParameterException.class, () -> RingbufBench.parse(args, dir), String.join(" ", args));
        return e.getMessage();
    }

    @Test
    void theSmokeMatrixAccountsForEveryEventAndWritesItsDatasetAndRatios(@TempDir Path dir) throws IOException {
        assumeTrue(root(), "loading BPF needs root");
        Path out = dir.resolve("ringbuf");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RingbufBench.Outcome outcome;
        try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            outcome = RingbufBench.run(RingbufBench.parse(new String[] {"--smoke", "--out", out.toString(), "--seed", "42"}, dir), ps);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.println(text);

        int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals(List.of(1, cpus).stream().distinct().toList(), outcome.options().producers(), "1 and N producers by default");
        List<TrialResult> trials = outcome.trials();
        assertEquals(RingbufBench.matrix(outcome.options()).size(), trials.size(), "one trial per config (smoke: one repetition)");
        assertTrue(trials.stream().anyMatch(t -> t.config.producerOnly() && t.config.burst() > 1 && t.config.producers() == cpus
                && t.config.ringbuf().equals("shared")), "producers bursting into one shared ring");
        for (TrialResult t : trials) {
            assertTrue(t.ok(), t + " failed its checks: " + t.failures());
            assertTrue(t.get("producer.calls") > 0, t + ": producers ran");
            assertTrue(t.get("bpf.runs") >= t.get("producer.calls"), t + ": BPF ran the trigger at least once per getpgid");
            assertFalse(Double.isNaN(t.get("bpf.ns_per_run")), t + ": BPF run-time statistics were read");
            if (t.config.baseline()) {
                assertEquals(0, t.get("bpf.numbered"), t + ": a baseline emits nothing");
                continue;
            }
            if (t.config.producerOnly()) {
                double events = t.get("producer.events_total");
                assertEquals(t.get("producer.calls_total") * t.config.burst(), events, t + ": each call emitted its burst");
                assertEquals(0, t.get("bpf.drops"), t + ": the rings held the whole trial");
                assertEquals(events, t.get("consumer.events"), t + ": the drain afterwards received every event");
                assertEquals(events, t.get("bpf.numbered"), t + ": BPF numbered every event");
                assertEquals(0, t.get("verify.producer_gaps"), t + ": every producer's events in order, none missing");
                assertEquals(t.get("producer.calls") * t.config.burst(), t.get("producer.events"), t + ": measured phase");
                assertTrue(t.get("producer.cpu_ns_per_event") > 0 && t.get("bpf.ns_per_event") > 0, t + ": per-event costs measured");
                assertTrue(t.get("producer.on_cpu_share") > 0 && t.get("producer.on_cpu_share") <= 1.0 + 1e-9, t + ": CPU time within wall time");
                assertFalse(Double.isNaN(t.get("derived.cost_cpu_ns_per_event")), t + ": cost above the baseline");
                continue;
            }
            double produced = t.get("producer.calls_total");
            double received = t.get("consumer.events");
            double drops = t.get("bpf.drops");
            assertTrue(received > 0, t + ": events arrived");
            assertEquals(produced, received + drops, t + ": received + BPF drops = produced");
            assertEquals(t.get("bpf.records"), t.get("consumer.records"), t + ": the consumer received every record BPF submitted");
            assertEquals(t.get("bpf.events"), received, t + ": the consumer decoded every event BPF submitted");
            assertEquals(0, t.get("verify.reordered"), t + ": per-CPU sequence never goes back");
            assertEquals(0, t.get("verify.producer_reordered"), t + ": per-producer sequence never goes back");
            assertEquals(drops, t.get("verify.producer_lost"), t + ": every loss of a producer is a BPF drop");
            if (drops == 0) {
                assertEquals(0, t.get("verify.seq_lost"), t + ": no sequence gap when BPF dropped nothing");
                assertEquals(0, t.get("verify.producer_gaps"), t + ": no producer gap when BPF dropped nothing");
            }
            assertTrue(t.get("consumer.backlog_ns_per_event") > 0, t + ": the backlog drain was timed");
        }
        // The mmap consumer gets exactly what libbpf's gets: for every point, both ran, and both
        // received what BPF submitted (checked per trial above).
        for (TrialResult t : trials) {
            if (t.config.consumer() != ConsumerKind.MMAP) continue;
            assertTrue(t.config.kind() == Config.Kind.LIVE, t.toString());
            Config twin = t.config.withConsumer(ConsumerKind.LIBBPF);
            assertTrue(outcome.summary().has(twin), "a libbpf twin of " + t.config);
        }
        assertTrue(trials.stream().anyMatch(t -> t.config.consumer() == ConsumerKind.MMAP && t.config.ringbuf().equals("percpu")
                && t.config.producers() == cpus), "one mmap consumer drained every per-CPU ring");

        // The dataset: a cell per trial, read back through lib's dataset reader, provenance on every row.
        Table rows = BenchDatasets.assertComplete(out, trials.size(), 42, false);
        assertTrue(rows.rowCount() > trials.size() * 20, "long format: many rows per trial");
        assertFalse(rows.where(rows.stringColumn("variant").isEqualTo("ringbuf=percpu,batch=8,prefetch=off")
                .and(rows.stringColumn("workload_params").startsWith("consumer=mmap,"))).isEmpty(), "variant and consumer");
        assertFalse(rows.where(rows.stringColumn("source").isEqualTo("bpf").and(rows.stringColumn("metric").isEqualTo("ns_per_run"))).isEmpty(),
                "BPF cost rows");
        assertFalse(rows.where(rows.stringColumn("source").isEqualTo("derived").and(rows.stringColumn("metric").isEqualTo("cost_ns_per_call"))).isEmpty(),
                "cost above the baseline rows");
        assertFalse(rows.where(rows.stringColumn("variant").isEqualTo("ringbuf=shared,batch=1,prefetch=off,burst=50")
                .and(rows.stringColumn("workload_params").isEqualTo("consumer=none,producers=" + cpus + ",notify=1"))).isEmpty(),
                "producer-only rows: the burst in the variant text, no consumer");
        assertTrue(rows.where(rows.stringColumn("cell_id").startsWith("t").and(rows.stringColumn("variant").startsWith("ringbuf=")))
                .stringColumn("bpf_sha256").allMatch(h -> h.matches("[0-9a-f]{64}")), "every trial of our build names the object's hash");

        // The ratio printer: the five lines for each producer count, measured or n/a.
        for (String label : Ratios.LABELS) {
            long count = text.lines().filter(l -> l.startsWith("  " + label)).count();
            assertEquals(outcome.options().producers().size(), count, "one '" + label + "' line per producer count:\n" + text);
        }
        assertTrue(text.contains("Checks: all " + trials.size() + " trials accounted for every event"), text);

        // The producer-only lines: scaling per layout, contention and bottleneck per producer count, batching.
        assertTrue(text.contains(ContentionRatios.TABLE + " trials"), text);
        for (String layout : List.of("shared", "percpu")) {
            assertTrue(text.lines().anyMatch(l -> l.matches("  " + ContentionRatios.SCALING + " +" + layout + " +burst 1: \\d+\\.\\d\\dx \\(on CPU \\d+\\.\\d\\dx\\) +burst 50: \\d+\\.\\d\\dx \\(on CPU \\d+\\.\\d\\dx\\)")),
                    "scaling of " + layout + ":\n" + text);
        }
        for (int p : outcome.options().producers()) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith("  " + ContentionRatios.CONTENTION) && l.contains("P=" + p)
                    && l.matches(".*burst 50: [+-]\\d+ ± .*")), "contention at P=" + p + ":\n" + text);
        }
        assertEquals(2L * outcome.options().producers().size(), text.lines().filter(l -> l.startsWith("  " + ContentionRatios.BOTTLENECK)).count(),
                "one bottleneck line per layout and producer count:\n" + text);
        assertTrue(text.lines().filter(l -> l.startsWith("  " + ContentionRatios.BOTTLENECK)).allMatch(l -> l.contains("-> the ")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("  " + ContentionRatios.BATCHING) && l.contains("shared") && l.matches(".* [+-]\\d+ ± .*")), text);
    }

    @Test
    void theRatioPrinterSaysNaForWhatARunDidNotMeasure() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            Ratios.print(ps, new Summary(List.of()), List.of(1, 2), 64, 3);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        for (String label : Ratios.LABELS) {
            List<String> lines = text.lines().filter(l -> l.startsWith("  " + label)).toList();
            assertEquals(2, lines.size(), text);
            for (String line : lines) assertTrue(line.substring(label.length() + 2).trim().startsWith("n/a"), line);
        }
    }

    @Test
    void theDecoderFindsLossesAndReorderingsInBothSequencesAcrossTheCounterWrap() {
        EventDecoder d = new EventDecoder(2, 2);
        long wrap = Producers.COUNTER_MASK + 1L;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(32, 8);
            // producer 0 on cpu 0: counters 0 .. 2^24 + 2 (wrapping once), but 2^24 + 1 lost; cpu seq the same
            for (long n = 0; n <= wrap + 2; n++) {
                if (n != wrap + 1) d.record(event(ring, n, 0, Producers.value(0, n)), 0, 32);
            }
            // producer 1 on cpu 1, out of order: 0, 2, 1
            for (long c : new long[] {0, 2, 1}) d.record(event(ring, c, 1, Producers.value(1, c)), 0, 32);
        }
        assertEquals(wrap + 2 + 3, d.events);
        assertEquals(1, d.reordered, "cpu 1's seq went 2 -> 1");
        assertEquals(1, d.producerReordered, "producer 1's counter went 2 -> 1");
        assertEquals(1 + 1, d.producerGaps, "producer 0 skipped one counter after its wrap; producer 1 skipped 1 before it came late");
        assertEquals(wrap + 2, d.maxSeq[0]);
        assertEquals(List.of(wrap + 2, 3L), Arrays.stream(d.receivedPerCpu).boxed().toList());
        assertEquals(List.of(wrap + 2, 3L), Arrays.stream(d.receivedPerProducer).boxed().toList());
        assertEquals(0, d.foreign);
        assertEquals(0, d.malformed);
    }

    @Test
    void theKernelBenchsSummaryBecomesMetricsAndAMissingOneAFailedCheck() {
        Config c = Config.kernel(ConsumerKind.LIBBPF, 2, 50);
        TrialResult ok = new TrialResult(c, 0, 0);
        KernelTrial.record(ok, c, "Iter   3 (741.011us): hits    5.566M/s (  2.783M/prod), drops    1.456M/s, total operations    7.022M/s\n"
                + "Summary: hits    5.439 \u00b1 0.163M/s (  2.720M/prod), drops    1.462 \u00b1 0.116M/s, total operations    6.901 \u00b1 0.109M/s\n", 0, "bench");
        assertTrue(ok.ok(), ok.failures().toString());
        assertEquals(5.439e6, ok.get("kernel.hits_per_s"), 1);
        assertEquals(6.901e6, ok.get("producer.events_per_s"), 1);
        assertEquals(2 * 1e9 / 6.901e6, ok.get("producer.ns_per_event"), 1e-6, "two producers share the total");
        assertEquals("bench_ringbufs=rb-libbpf,burst=50", c.variant());
        TrialResult failed = new TrialResult(c, 0, 1);
        KernelTrial.record(failed, c, "failed to load skeleton\n", 1, "bench");
        assertEquals(2, failed.failures().size(), failed.failures().toString());
        assertTrue(failed.failures().toString().contains("failed to load skeleton"), failed.failures().toString());
    }

    @Test
    void theKernelBenchRunsInThePlanBesideOurTrials(@TempDir Path dir) throws IOException {
        assumeTrue(root(), "loading BPF needs root");
        Path cache = Path.of(System.getenv().getOrDefault("GAMERLAB_CACHE", System.getProperty("user.home") + "/.cache/gamerlab"), "host-kernel-source");
        boolean fetched;
        try (Stream<Path> versions = Files.exists(cache) ? Files.walk(cache, 2) : Stream.empty()) {
            fetched = versions.anyMatch(p -> Files.isRegularFile(p.resolve(".complete")));
        }
        assumeTrue(fetched, "the kernel source is fetched by the bench's first kernel run (scripts/setup.sh host-kernel-source), not by a test");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RingbufBench.Outcome outcome;
        try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            outcome = RingbufBench.run(RingbufBench.parse(new String[] {"--smoke", "--phases", "kernel,producer-only", "--producers", "1", "--bursts", "50",
                    "--out", dir.resolve("k").toString(), "--seed", "5"}, dir), ps);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        List<TrialResult> kernel = outcome.trials().stream().filter(t -> t.config.kernel()).toList();
        assertEquals(2 * RingbufBench.KERNEL_BATCH_COUNTS.size(), kernel.size(), "rb-libbpf and rb-custom at each batch count");
        for (TrialResult t : kernel) {
            assertTrue(t.ok(), t + ": " + t.failures());
            assertTrue(t.get("kernel.hits_per_s") > 0, t + ": its consumer received records");
        }
        assertTrue(text.lines().anyMatch(l -> l.startsWith("  " + KernelRatios.COST) && l.contains("burst 50") && l.contains("ours shared")
                && l.matches(".*kernel rb-custom \\d+\\.\\d ± .*")), text);
        Table rows = BenchDatasets.assertComplete(dir.resolve("k"), outcome.trials().size(), 5, false);
        assertFalse(rows.where(rows.stringColumn("variant").isEqualTo("bench_ringbufs=rb-custom,burst=50")
                .and(rows.stringColumn("workload_params").isEqualTo("consumer=mmap,producers=1,notify=1"))).isEmpty(), "kernel rows in the same dataset");
    }

    @Test
    void theDecoderChecksEveryEventOfEveryBurstByItsPlaceInTheBurst() {
        int burst = 4;
        EventDecoder d = new EventDecoder(1, 1, burst, null);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(32, 8);
            long seq = 0;
            // counter 0: codes 0..3; counter 1: code 2 lost; counter 2: codes 0, 2, 1 (late), 3; then a code beyond the burst
            int[][] sent = {{0, 0}, {0, 1}, {0, 2}, {0, 3}, {1, 0}, {1, 1}, {1, 3}, {2, 0}, {2, 2}, {2, 1}, {2, 3}, {3, 5}};
            for (int[] e : sent) d.record(event(ring, seq++, 0, Producers.value(0, e[0]), e[1]), 0, 32);
        }
        assertEquals(12, d.events);
        assertEquals(1 + 1, d.producerGaps, "counter 1 code 2 lost; counter 2 code 1 skipped before it came late");
        assertEquals(1, d.producerReordered, "counter 2 code 1 after code 2");
        assertEquals(1, d.foreign, "code 5 is no place in a burst of 4");
        assertEquals(11, d.receivedPerProducer[0]);
    }

    /** Writes one struct gamer_input_event at the start of {@code ring}. */
    private static MemorySegment event(MemorySegment ring, long seq, int cpu, int value) {
        return event(ring, seq, cpu, value, 0);
    }

    private static MemorySegment event(MemorySegment ring, long seq, int cpu, int value, int code) {
        ring.set(JAVA_LONG, 8, seq);
        ring.set(JAVA_INT, 16, cpu);
        ring.set(JAVA_SHORT, 26, (short) code);
        ring.set(JAVA_INT, 28, value);
        return ring;
    }
}
