package io.gamerlab.bench.ringbuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamerlab.bench.host.BenchDatasets;
import io.gamerlab.bench.host.HostBench;
import io.gamerlab.bench.ringbuf.LatencyConfig.Arrival;
import io.gamerlab.util.Histograms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;
import tech.tablesaw.api.Table;

/** The first-event latency bench in smoke mode on this kernel (every batch size x every arrival, 0.3 s each), and its options. */
class LatencyBenchTest {

    @Test
    void badOptionsAreNamedWithTheUsage(@TempDir Path dir) {
        ParameterException gap = assertThrows(ParameterException.class, () -> LatencyBench.parse(new String[] {"--timer-gap-us", "500"}, dir));
        assertTrue(gap.getMessage().contains("--timer-gap-us = 500 is not allowed; allowed: above the flush interval (1000000 ns)"), gap.getMessage());
        assertThrows(ParameterException.class, () -> LatencyBench.parse(new String[] {"--burst", "0"}, dir));
        assertThrows(ParameterException.class, () -> LatencyBench.parse(new String[] {"--reps", "0"}, dir));
        LatencyBench.Options o = LatencyBench.parse(new String[] {"--flush-ns", "200000"}, dir);
        assertEquals(400_000, o.timerGapNs(), "twice the flush interval by default");
        assertEquals(5, o.repetitions());
        assertEquals(9, LatencyBench.matrix(o).size(), "batch 1, 8, 16 x burst, timer, stream");
    }

    @Test
    void theSmokeRunMeasuresEveryConfigAndTheTimerHoldsBatchedEventsForTheFlushInterval(@TempDir Path dir) throws IOException {
        assumeTrue(HostBench.isRoot(), "loading BPF needs root");
        Path out = dir.resolve("latency");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LatencyBench.Outcome outcome;
        try (PrintStream ps = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            outcome = LatencyBench.run(LatencyBench.parse(new String[] {"--smoke", "--out", out.toString(), "--seed", "3"}, dir), ps);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        long flush = outcome.options().effectiveFlushNs();
        assertEquals(LatencyBench.matrix(outcome.options()).size(), outcome.trials().size());
        for (LatencyTrial.Result t : outcome.trials()) {
            assertTrue(t.ok(), t + " failed its checks: " + t.failures());
            for (String kind : LatencyHistograms.KINDS) {
                assertTrue(t.get("latency." + kind + ".count") > 0, t + ": " + kind + " latencies recorded");
                assertEquals(t.get("latency." + kind + ".count"), t.histograms().get(kind).getTotalCount(), t + ": the row is the histogram's");
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

        // The dataset: a cell per trial, each with its histograms as rows whose sample count is the count row's.
        Table rows = BenchDatasets.assertComplete(out, outcome.trials().size(), 3, true);
        Table histograms = rows.where(rows.stringColumn("metric").isEqualTo(LatencyTrial.HISTOGRAM));
        assertEquals(outcome.trials().size() * LatencyHistograms.KINDS.size(), histograms.rowCount(), "every trial's every kind");
        for (int i = 0; i < histograms.rowCount(); i++) {
            String cell = histograms.stringColumn("cell_id").get(i);
            String source = histograms.stringColumn("source").get(i);
            Table count = rows.where(rows.stringColumn("cell_id").isEqualTo(cell).and(rows.stringColumn("source").isEqualTo(source))
                    .and(rows.stringColumn("metric").isEqualTo("count")));
            long samples = Histograms.decode(histograms.stringColumn("note").get(i)).getTotalCount();
            assertEquals(count.doubleColumn("value").get(0), (double) samples, cell + " " + source + ": the histogram holds the count row's samples");
            assertEquals(histograms.doubleColumn("value").get(i), (double) samples, cell + " " + source);
        }

        for (Arrival arrival : Arrival.values())
            assertTrue(text.lines().anyMatch(l -> l.startsWith("  " + LatencyReport.ADDS) && l.contains(" " + arrival.label() + " ")
                    && l.matches(".*batch 8: p50 [+-]\\d+ ± .*batch 16: p50 [+-]\\d+ ± .*")), arrival + " line:\n" + text);
        assertTrue(text.contains("Checks: all " + outcome.trials().size() + " trials accounted for every event"), text);
    }
}
