package io.gamerlab.bench.ringbuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamerlab.bench.host.HostBench;
import io.gamerlab.bench.ringbuf.LatencyConfig.Arrival;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first-event latency bench in smoke mode on this kernel (every batch size x every arrival, 0.3 s each), and its options. */
class LatencyBenchTest {

    @Test
    void badOptionsAreNamedWithTheUsage(@TempDir Path dir) {
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> LatencyBench.parse(new String[] {"--timer-gap-us", "500"}, dir));
        assertTrue(gap.getMessage().contains("--timer-gap-us must exceed the flush interval (1000000 ns)") && gap.getMessage().contains(LatencyBench.USAGE),
                gap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LatencyBench.parse(new String[] {"--burst", "0"}, dir));
        assertThrows(IllegalArgumentException.class, () -> LatencyBench.parse(new String[] {"--reps", "0"}, dir));
        LatencyBench.Options o = LatencyBench.parse(new String[] {"--flush-ns", "200000"}, dir);
        assertEquals(400_000, o.timerGapNs(), "twice the flush interval by default");
        assertEquals(5, o.repetitions());
        assertEquals(9, LatencyBench.matrix(o).size(), "batch 1, 8, 16 x burst, timer, stream");
    }

    @Test
    void theSmokeRunMeasuresEveryConfigAndTheTimerHoldsBatchedEventsForTheFlushInterval(@TempDir Path dir) throws IOException {
        assumeTrue(HostBench.isRoot(), "loading BPF needs root");
        Path out = dir.resolve("latency.csv");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LatencyBench.Outcome outcome;
        try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            outcome = LatencyBench.run(new String[] {"--smoke", "--out", out.toString(), "--seed", "3"}, ps);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        long flush = outcome.options().effectiveFlushNs();
        assertEquals(LatencyBench.matrix(outcome.options()).size(), outcome.trials().size());
        for (LatencyTrial.Result t : outcome.trials()) {
            assertTrue(t.ok(), t + " failed its checks: " + t.failures());
            for (String kind : LatencyHistograms.KINDS) {
                assertTrue(t.get("latency." + kind + ".count") > 0, t + ": " + kind + " latencies recorded");
                assertEquals(t.get("latency." + kind + ".count"), t.histograms.get(kind).getTotalCount(), t + ": the row is the histogram's");
            }
            assertEquals(t.get("producer.events_total"), t.get("consumer.events") + t.get("bpf.drops"), t + ": every event arrived or was counted as dropped");
            if (t.config.batch() == 1) assertEquals(0, t.get("consumer.timer_records"), t + ": batch 1 never waits for the timer");
            if (t.config.arrival() == Arrival.TIMER && t.config.batch() > 1) {
                assertTrue(t.get("consumer.timer_records") > 0, t + ": lone events left with the flush timer");
                // A record's first event armed the timer, which fires no earlier than the flush interval later (HdrHistogram keeps
                // 3 digits). Not every record: an event may join a flush already pending when its timer fired late.
                assertTrue(t.get("latency.first_in_record.p50") >= flush * 0.999,
                        t + ": median first-event latency " + t.get("latency.first_in_record.p50") + " ns >= flush interval " + flush);
            }
            if (t.config.arrival() == Arrival.BURST && t.get("bpf.drops") == 0)
                assertEquals(t.get("producer.calls") * outcome.options().burst(), t.get("latency.all.count") + 0.0, outcome.options().burst() * 2.0,
                        t + ": every event of the measured window's bursts, give or take a burst at either edge");
        }

        // The dataset: every row complete; the histograms in the log beside it, by the tags the rows name.
        List<String> lines = Files.readAllLines(out);
        assertEquals(String.join(",", LatencyBench.COLUMNS), lines.getFirst());
        assertTrue(lines.getLast().contains(",run,completed,"), lines.getLast());
        List<String> hdr = lines.stream().filter(l -> l.contains(",latency.first_in_record,hdr,hlog_tag,")).toList();
        assertEquals(outcome.trials().size(), hdr.size(), "one first_in_record histogram per trial");
        java.util.Map<String, Long> logged = new java.util.HashMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(LatencyLog.beside(out).toFile())) {
            for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram())
                logged.put(h.getTag(), ((Histogram) h).getTotalCount());
        }
        assertEquals(outcome.trials().size() * LatencyHistograms.KINDS.size(), logged.size(), "every trial's every kind in the histogram log: " + logged.keySet());
        for (String row : hdr) {
            String[] cells = row.split(",");
            assertEquals(Long.parseLong(cells[cells.length - 3]), logged.get(cells[cells.length - 1]), "the logged histogram holds the row's count: " + row);
        }

        for (Arrival arrival : Arrival.values())
            assertTrue(text.lines().anyMatch(l -> l.startsWith("  " + LatencyReport.ADDS) && l.contains(" " + arrival.label() + " ")
                    && l.matches(".*batch 8: p50 [+-]\\d+ ± .*batch 16: p50 [+-]\\d+ ± .*")), arrival + " line:\n" + text);
        assertTrue(text.contains("Checks: all " + outcome.trials().size() + " trials accounted for every event"), text);
    }
}
