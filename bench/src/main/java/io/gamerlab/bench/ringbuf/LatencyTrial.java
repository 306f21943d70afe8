package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.HostLoad;
import io.gamerlab.bench.host.TrialMetrics;
import io.gamerlab.bpf.BpfLink;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.measure.RunTable;
import io.gamerlab.sched.InputEventStream;
import io.gamerlab.sched.InputPathCounters;
import io.gamerlab.util.Histograms;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One trial of the first-event latency bench: one producer pinned to CPU 0 makes getpgid calls at
 * the config's pace, each emitting its events through the scheduler's own event path
 * ({@code input_trigger_burst}); a consumer pinned to the last CPU spins over the ring (the Java
 * mmap consumer, never waiting in epoll) and records, per event, creation to visibility
 * ({@link LatencyHistograms}). Both run under SCHED_FIFO, so that other processes' time slices on
 * their CPUs do not become latency: on the consumer's, between a record's commit and its look; on
 * the producer's, inside the BPF program between an event's creation and its commit (this kernel
 * may preempt a tracing program) or between the calls that fill a batch.
 *
 * <p>Real-time throttling would stop a thread that runs for more than 950 ms of a second
 * (kernel.sched_rt_runtime_us) for the rest of it, and the events of that pause would carry it as
 * latency. So the producer runs in segments of at most {@value #SEGMENT_MS} ms; after each, once
 * every event made so far has been seen, the consumer rests (parked) for {@value #REST_MS} ms. Warm-up (discarded), measured window, then the drain and the same
 * accounting of every event as the other trials.
 */
final class LatencyTrial {

    /** What a latency histogram's row is called, in its kind's source ({@code latency.<kind>}). */
    static final String HISTOGRAM = "latency" + RunTable.HISTOGRAM_SUFFIX;

    /** A trial's metrics, among them its three latency histograms. */
    static final class Result extends TrialMetrics<LatencyConfig> {
        Result(LatencyConfig config, int repetition, int order) {
            super(config, repetition, order);
        }

        /** The latency histograms by kind, read from their rows (so a trial read back from its cell has them too). */
        Map<String, Histogram> histograms() {
            Map<String, Histogram> byKind = new LinkedHashMap<>();
            for (Metric m : metrics())
                if (m.name().equals(HISTOGRAM) && m.source().startsWith("latency."))
                    byKind.put(m.source().substring("latency.".length()), Histograms.decode(m.note()));
            return byKind;
        }
    }

    static final int SEGMENT_MS = 750;
    static final int REST_MS = 200;

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
            Producers producers = new Producers(1, cpus, true);
            Producers.Phase measured;
            double otherLoad;
            boolean drained;
            try (ConsumerThread consumer = new ConsumerThread(Config.ConsumerKind.MMAP, o, "shared", decoder, consumerCpu, true)) {
                try (BpfLink link = o.attachProgram(ProducerOnlyTrial.BURST_PROGRAM)) {
                    segments(producers, config, timing.warmupNs(), o, decoder, consumer, timing.drainTimeoutNs());
                    consumer.requireAlive();
                    HostLoad load0 = HostLoad.now();
                    latency.open(System.nanoTime());
                    measured = segments(producers, config, timing.durationNs(), o, decoder, consumer, timing.drainTimeoutNs());
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

    /** {@code durationNs} of the producer, in segments with the consumer resting between them (see the class comment). */
    private static Producers.Phase segments(Producers producers, LatencyConfig config, long durationNs, BpfObject o, EventDecoder decoder,
                                            ConsumerThread consumer, long drainTimeoutNs) {
        Producers.Phase total = null;
        for (long left = durationNs; left > 0; ) {
            long segment = Math.min(left, TimeUnit.MILLISECONDS.toNanos(SEGMENT_MS));
            Producers.Phase p = config.gapNs() == 0 ? producers.run(segment) : producers.runPaced(segment, config.gapNs());
            total = total == null ? p : total.plus(p);
            left -= segment;
            if (!Trial.drain(o, decoder, consumer, drainTimeoutNs))
                throw new IllegalStateException(config + ": the consumer did not catch up within " + drainTimeoutNs + " ns after a segment");
            consumer.pause();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(REST_MS));
            consumer.resumeAndTimeDrain();
        }
        return total;
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
            r.add(k, HISTOGRAM, RunTable.HISTOGRAM_UNIT, h.getTotalCount(), Histograms.encode(h));
        }
        r.check("verify", "negative_latency", "count", latency.negative, latency.negative == 0,
                "no event seen before it was made (bpf_ktime_get_ns and System.nanoTime are both CLOCK_MONOTONIC)");
    }
}
