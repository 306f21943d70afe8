package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.HostLoad;
import io.gamerlab.bench.host.TrialMetrics;
import io.gamerlab.bpf.BpfLink;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.sched.InputEventStream;
import io.gamerlab.sched.InputPathCounters;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One trial of the first-event latency bench: one producer pinned to CPU 0 makes getpgid calls at
 * the config's pace, each emitting its events through the scheduler's own event path
 * ({@code input_trigger_burst}); a consumer pinned to the last CPU spins over the ring (the Java
 * mmap consumer, never waiting in epoll) and records, per event, creation to visibility
 * ({@link LatencyHistograms}) under SCHED_FIFO, so that other processes' time slices on its CPU
 * do not become latency. The producer is an ordinary thread: a burst runs inside one BPF program
 * run, which nothing on its CPU interrupts but interrupts. Warm-up (discarded), measured window, then the drain and the same
 * accounting of every event as the other trials.
 */
final class LatencyTrial {

    /** A trial's metrics and its three latency histograms. */
    static final class Result extends TrialMetrics<LatencyConfig> {
        final Map<String, Histogram> histograms = new LinkedHashMap<>();

        Result(LatencyConfig config, int repetition, int order) {
            super(config, repetition, order);
        }
    }

    private LatencyTrial() {
    }

    static Result run(LatencyConfig config, int repetition, int order, Path object, Trial.Timing timing, int cpus, int consumerCpu, long flushNs) {
        Result result = new Result(config, repetition, order);
        try (BpfObject o = BpfObject.open(object)) {
            o.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            o.setReadOnlyU32("trigger_burst", config.eventsPerCall());
            o.setReadOnlyU32("input_wakeup_every", 1);
            if (flushNs > 0) o.setReadOnlyU64("input_flush_ns", flushNs);
            InputEventStream.prepare(o);
            o.load();
            LatencyHistograms latency = new LatencyHistograms();
            EventDecoder decoder = new EventDecoder(o.map("input_cpus").possibleCpus(), 2, config.eventsPerCall(), latency);
            Producers producers = new Producers(1, cpus);
            Producers.Phase measured;
            double otherLoad;
            boolean drained;
            try (ConsumerThread consumer = new ConsumerThread(Config.ConsumerKind.MMAP, o, "shared", decoder, consumerCpu, true)) {
                try (BpfLink link = o.attachProgram(ProducerOnlyTrial.BURST_PROGRAM)) {
                    phase(producers, config, timing.warmupNs());
                    consumer.requireAlive();
                    HostLoad load0 = HostLoad.now();
                    latency.open(System.nanoTime());
                    measured = phase(producers, config, timing.durationNs());
                    latency.close(System.nanoTime());
                    otherLoad = HostLoad.now().otherBusyShareSince(load0);
                }
                drained = Trial.drain(o, decoder, consumer, timing.drainTimeoutNs());
            }
            InputPathCounters end = InputPathCounters.read(o);
            record(result, config, measured, latency);
            Trial.wholeTrial(result, producers.totalCalls(), end, drained);
            Trial.accountForEvents(result, end, decoder, producers, config.eventsPerCall());
            result.add("consumer", "timer_record_share", "ratio", decoder.records == 0 ? Double.NaN : (double) decoder.timerRecords / decoder.records,
                    "records the flush timer sent / all records, whole trial");
            result.add("host", "other_busy_share", "ratio", otherLoad,
                    "share of all CPU time busy outside this process (incl. steal), measured window, from /proc/stat ticks");
        }
        return result;
    }

    private static Producers.Phase phase(Producers producers, LatencyConfig config, long durationNs) {
        return config.gapNs() == 0 ? producers.run(durationNs) : producers.runPaced(durationNs, config.gapNs());
    }

    private static void record(Result r, LatencyConfig config, Producers.Phase measured, LatencyHistograms latency) {
        r.add("producer", "calls", "count", measured.totalCalls(), "measured window");
        r.add("producer", "events_per_s", "count/s", measured.eventsPerSecond() * config.eventsPerCall(), "measured window");
        r.add("producer", "ns_per_call", "ns", measured.nsPerCall(), "elapsed / calls, measured window (the gap included when paced)");
        r.add("producer", "cpu_ns_per_call", "ns", measured.cpuNsPerCall(), "thread CPU time / calls, measured window");
        for (Map.Entry<String, Histogram> e : latency.byKind().entrySet()) {
            Histogram h = e.getValue();
            String k = "latency." + e.getKey();
            String what = "ns from creation in BPF to the consumer reaching the record, events created in the measured window";
            r.add(k, "count", "count", h.getTotalCount(), what);
            boolean any = h.getTotalCount() > 0;
            r.add(k, "mean", "ns", any ? h.getMean() : Double.NaN, what);
            r.add(k, "min", "ns", any ? h.getMinValue() : Double.NaN, what);
            for (double q : new double[] {50, 90, 99, 99.9})
                r.add(k, "p" + Double.toString(q).replace(".0", "").replace(".", ""), "ns", any ? h.getValueAtPercentile(q) : Double.NaN, what);
            r.add(k, "max", "ns", any ? h.getMaxValue() : Double.NaN, what);
            r.add(k, "hdr", "hdr_base64", h.getTotalCount(), LatencyHistograms.encode(h));
            r.histograms.put(e.getKey(), h);
        }
        r.check("verify", "negative_latency", "count", latency.negative, latency.negative == 0,
                "no event seen before it was made (bpf_ktime_get_ns and System.nanoTime are both CLOCK_MONOTONIC)");
    }
}
