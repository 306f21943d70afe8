package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.BpfStats;
import io.gamerlab.bench.host.HostLoad;
import io.gamerlab.bench.host.TrialMetrics;
import io.gamerlab.bpf.BpfLink;
import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.bpf.RingBufferMaps;
import io.gamerlab.sched.InputEventStream;
import io.gamerlab.sched.InputPathCounters;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One trial: load the trigger built for a config, start its consumer, attach, run the producers
 * once to warm up (discarded) and once measured, detach, wait until every event BPF holds has been
 * submitted and every submitted record received, then account for every event.
 *
 * <p>Accounting, all exact (nothing is estimated): the producers count their getpgid calls
 * (produced); BPF counts, per CPU, the events it numbered ({@code seq}), the records and events it
 * submitted and the events it dropped ({@code input_drops}); the consumer counts what it decoded,
 * per CPU and per producer. A trial passes when produced = received + dropped, when what BPF
 * submitted is exactly what the consumer received, when nothing arrived out of order (per-CPU
 * seq, per-producer counter), and when every loss is one BPF counted.
 */
final class Trial {
    /** The bench program the trials load: bpf/bench/ringbuf_trigger.bpf.c, built per config's flags. */
    static final String TRIGGER = "ringbuf_trigger";
    /** Its tp_btf/sys_enter program that emits one input event per getpgid of target_tgid. */
    static final String TRIGGER_PROGRAM = "input_trigger";
    /** target_tgid of a baseline: no process has it (pid_max is at most 2^22). */
    static final long NO_PROCESS = 0xFFFF_FFFFL;
    static final String RING_PREFIX = "gl_rb_cpu";
    /** Events per backlog: at most a third of a 256 KB ring at any batch size (40 B records at batch 1, 528 B per 16 at batch 16). */
    static final int BACKLOG_EVENTS = 2048;
    static final int BACKLOG_ROUNDS = 3;

    /** How long each phase of a trial runs. */
    record Timing(long warmupNs, long durationNs, long drainTimeoutNs) {
    }

    private Trial() {
    }

    static TrialResult run(Config config, int repetition, int order, Path object, Timing timing, int cpus, int consumerCpu, long flushNs) {
        TrialResult result = new TrialResult(config, repetition, order);
        try (BpfObject o = BpfObject.open(object)) {
            o.setReadOnlyU32("target_tgid", config.baseline() ? NO_PROCESS : ProcessHandle.current().pid());
            o.setReadOnlyU32("input_wakeup_every", config.wakeupEvery());
            if (flushNs > 0) o.setReadOnlyU64("input_flush_ns", flushNs);
            InputEventStream.prepare(o);
            o.load();
            int programFd = o.programFd(TRIGGER_PROGRAM);
            if (config.ringbuf().equals("percpu")) {
                BpfMap outer = o.map("input_rings");
                RingBufferMaps.fillArrayOfMaps(outer, outer.possibleCpus(), outer.innerMapMaxEntries(), RING_PREFIX);
            }
            int possibleCpus = o.map("input_cpus").possibleCpus();
            EventDecoder decoder = new EventDecoder(possibleCpus, config.producers() + 1);
            Producers producers = new Producers(config.producers(), cpus);
            ConsumerThread consumer = config.baseline() ? null : new ConsumerThread(config.consumer(), o, config.ringbuf(), decoder, consumerCpu, false);
            Producers.Phase measured;
            BpfStats.Reading stats;
            InputPathCounters c0;
            InputPathCounters c1;
            long consumedInWindow = 0;
            long consumerCpuNs = 0;
            double otherLoad;
            ConsumerThread.Backlog backlog = null;
            long waits = 0;
            boolean drained;
            InputPathCounters end;
            try {
                try (BpfLink link = o.attachProgram(TRIGGER_PROGRAM)) {
                    producers.run(timing.warmupNs());
                    if (consumer != null) consumer.requireAlive();
                    c0 = InputPathCounters.read(o);
                    BpfStats.Reading s0 = BpfStats.read(programFd);
                    long e0 = decoder.eventsSoFar();
                    long cpu0 = consumer != null ? consumer.cpuNs() : 0;
                    HostLoad load0 = HostLoad.now();
                    measured = producers.run(timing.durationNs());
                    otherLoad = HostLoad.now().otherBusyShareSince(load0);
                    if (consumer != null) {
                        consumerCpuNs = consumer.cpuNs() - cpu0;
                        consumedInWindow = decoder.eventsSoFar() - e0;
                    }
                    stats = BpfStats.read(programFd).minus(s0);
                    c1 = InputPathCounters.read(o);
                    if (consumer != null) backlog = backlogDrains(o, consumer, producers);
                }
                drained = drain(o, decoder, consumer, timing.drainTimeoutNs());
            } finally {
                if (consumer != null) consumer.close();
            }
            if (consumer != null) waits = consumer.waits();
            end = InputPathCounters.read(o);
            record(result, config, producers, measured, stats, c0, c1, end, decoder, consumedInWindow, consumerCpuNs, drained);
            result.add("host", "other_busy_share", "ratio", otherLoad,
                    "share of all CPU time busy outside this process (incl. steal), measured window, from /proc/stat ticks");
            if (backlog != null) {
                result.add("consumer", "backlog_ns_per_event", "ns", backlog.cpuNsPerEvent(),
                        "consumer CPU ns per event draining a backlog of " + BACKLOG_EVENTS + " events, no waits (least of " + BACKLOG_ROUNDS + " drains)");
                result.add("consumer", "backlog_ns_per_record", "ns", backlog.cpuNsPerRecord(), "same drain, per record");
                result.add("consumer", "backlog_wall_ns_per_event", "ns", backlog.events() == 0 ? Double.NaN : (double) backlog.wallNs() / backlog.events(),
                        "same drain, wall time per event");
            }
            if (consumer != null) {
                result.add("consumer", "waits", "count", waits, "times every ring was empty and the consumer waited in epoll_wait, whole trial");
                result.add("consumer", "events_per_wait", "ratio", waits == 0 ? Double.NaN : (double) decoder.events / waits, "whole trial");
            }
        }
        return result;
    }

    /**
     * Pauses the consumer, lets one pinned thread fire {@link #BACKLOG_EVENTS} events into the
     * rings, waits until BPF holds none staged, then times the consumer's drain of that backlog;
     * {@link #BACKLOG_ROUNDS} times, keeping the cheapest drain (the one least disturbed).
     */
    private static ConsumerThread.Backlog backlogDrains(BpfObject o, ConsumerThread consumer, Producers producers) {
        ConsumerThread.Backlog best = null;
        for (int round = 0; round < BACKLOG_ROUNDS; round++) {
            consumer.pause();
            producers.fillBacklog(BACKLOG_EVENTS);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            while (InputPathCounters.read(o).totalPending() > 0 && System.nanoTime() < deadline) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            ConsumerThread.Backlog b = consumer.resumeAndTimeDrain();
            if (b.events() > 0 && (best == null || b.cpuNsPerEvent() < best.cpuNsPerEvent())) best = b;
        }
        return best;
    }

    /** Waits until BPF holds no staged or queued event and the consumer has every record BPF submitted. */
    static boolean drain(BpfObject o, EventDecoder decoder, ConsumerThread consumer, long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        do {
            InputPathCounters now = InputPathCounters.read(o);
            if (consumer == null) return now.totalPending() == 0;
            consumer.requireAlive();
            if (now.totalPending() == 0 && decoder.recordsSoFar() >= now.totalRecords()) return true;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static void record(TrialResult r, Config config, Producers producers, Producers.Phase measured, BpfStats.Reading stats,
                               InputPathCounters c0, InputPathCounters c1, InputPathCounters end, EventDecoder decoder,
                               long consumedInWindow, long consumerCpuNs, boolean drained) {
        // ---- producer side, measured window ----
        r.add("producer", "events_per_s", "count/s", measured.eventsPerSecond(), "getpgid calls (one event each) per second, all producers");
        r.add("producer", "ns_per_call", "ns", measured.nsPerCall(), "mean over producers of elapsed/calls");
        r.add("producer", "cpu_ns_per_call", "ns", measured.cpuNsPerCall(), "mean over producers of thread CPU time/calls");
        r.add("producer", "on_cpu_share", "ratio", measured.minOnCpuShare(),
                "least over producers of thread CPU time / elapsed: 1 when nothing else ran on the producers' CPUs");
        r.add("producer", "calls", "count", measured.totalCalls(), "measured window");
        for (int p = 0; p < measured.calls().length; p++) {
            r.add("producer", "p" + p + ".events_per_s", "count/s", measured.eventsPerSecond(p), "pinned to cpu " + measured.cpus()[p]);
        }
        r.add("bpf", "ns_per_run", "ns", stats.nsPerRun(), "run_time_ns/run_cnt of the trigger program, measured window (BPF_ENABLE_STATS)");
        r.add("bpf", "runs", "count", stats.runCount(), "measured window");
        r.add("bpf", "run_time_ns", "ns", stats.runTimeNs(), "measured window");
        r.add("bpf", "other_runs", "count", stats.runCount() - measured.totalCalls(), "runs for other syscalls/processes (early return), measured window");
        r.add("bpf", "recursion_misses", "count", stats.recursionMisses(), "measured window");
        r.add("bpf", "drops_window", "count", c1.totalDrops() - c0.totalDrops(), "input_drops, measured window");
        double dropsPerSecond = (c1.totalDrops() - c0.totalDrops()) * 1e9 / meanElapsed(measured);
        r.add("bpf", "drops_per_s", "count/s", dropsPerSecond, "measured window");
        r.add("producer", "delivered_per_s", "count/s", config.baseline() ? 0 : measured.eventsPerSecond() - dropsPerSecond,
                "events/s minus BPF drops/s: events that reached a ring, measured window");

        wholeTrial(r, producers.totalCalls(), end, drained);
        if (config.baseline()) {
            r.check("verify", "numbered", "count", end.totalSeq(), end.totalSeq() == 0, "a baseline emits nothing");
            return;
        }
        r.add("consumer", "ns_per_event", "ns", consumedInWindow == 0 ? Double.NaN : (double) consumerCpuNs / consumedInWindow,
                "consumer thread CPU time per event decoded, measured window");
        r.add("consumer", "cpu_ns", "ns", consumerCpuNs, "measured window");
        r.add("consumer", "events_window", "count", consumedInWindow, "measured window");
        accountForEvents(r, end, decoder, producers, 1);
    }

    /** Whole-trial (warm-up and measured) counts of BPF after the drain, and its own checks. */
    static void wholeTrial(TrialMetrics<?> r, long calls, InputPathCounters end, boolean drained) {
        r.add("producer", "calls_total", "count", calls, "warm-up and measured");
        r.add("bpf", "numbered", "count", end.totalSeq(), "events given a per-CPU sequence number");
        r.add("bpf", "records", "count", end.totalRecords());
        r.add("bpf", "events", "count", end.totalEvents());
        r.add("bpf", "drops", "count", end.totalDrops(), "input_drops, whole trial");
        r.add("bpf", "timer_flushes", "count", end.totalTimerFlushes());
        r.add("bpf", "timer_retries", "count", end.totalTimerRetries());
        r.add("bpf", "timer_starts", "count", end.totalTimerStarts(), "flush-timer starts, whole trial");
        r.add("bpf", "nested", "count", end.totalNested());
        r.check("bpf", "timer_errors", "count", end.totalTimerErrors(), end.totalTimerErrors() == 0, "expected 0");
        r.check("bpf", "pending", "count", end.totalPending(), end.totalPending() == 0, "expected 0 after the drain");
        r.check("verify", "drained", "bool", drained ? 1 : 0, drained, "every submitted record received within the drain timeout");
    }

    /**
     * What the consumer received against what was produced (each getpgid call emitted {@code burst}
     * events) and what BPF numbered, submitted and dropped, whole trial: the checks of every trial
     * with a consumer.
     */
    static void accountForEvents(TrialMetrics<?> r, InputPathCounters end, EventDecoder decoder, Producers producers, int burst) {
        long produced = producers.totalCalls() * burst;
        long drops = end.totalDrops();
        r.add("producer", "events_total", "count", produced, "warm-up and measured: calls x " + burst + " event(s) per call");
        r.add("consumer", "events", "count", decoder.events);
        r.add("consumer", "records", "count", decoder.records);
        r.add("consumer", "events_per_record", "ratio", decoder.records == 0 ? Double.NaN : (double) decoder.events / decoder.records);
        r.add("consumer", "timer_records", "count", decoder.timerRecords);
        long seqLost = 0;
        for (int cpu = 0; cpu < end.seq().length; cpu++) {
            long received = cpu < decoder.receivedPerCpu.length ? decoder.receivedPerCpu[cpu] : 0;
            long lost = end.seq()[cpu] - received;
            seqLost += lost;
            if (end.seq()[cpu] > 0 || received > 0) {
                r.add("consumer", "cpu" + cpu + ".events", "count", received);
                r.add("verify", "cpu" + cpu + ".seq_lost", "count", lost, "numbered on cpu " + cpu + " but not received");
            }
        }
        long producerLost = 0;
        for (int p = 0; p <= producers.backlogProducer(); p++) producerLost += producers.calls(p) * burst - decoder.receivedPerProducer[p];

        // ---- checks ----
        long unaccounted = produced - decoder.events - drops;
        r.check("verify", "unaccounted", "count", unaccounted, unaccounted == 0, "produced - received - BPF drops = 0");
        r.check("verify", "seq_lost", "count", seqLost, seqLost >= 0 && seqLost <= drops, "per-CPU sequence losses are BPF drops");
        r.check("verify", "producer_lost", "count", producerLost, producerLost == drops, "per-producer losses = BPF drops");
        r.add("verify", "producer_gaps", "count", decoder.producerGaps, "losses between received events of a producer");
        r.check("verify", "reordered", "count", decoder.reordered, decoder.reordered == 0, "per-CPU seq never goes back");
        r.check("verify", "producer_reordered", "count", decoder.producerReordered, decoder.producerReordered == 0, "per-producer position never goes back");
        r.check("verify", "records_vs_bpf", "count", end.totalRecords() - decoder.records, end.totalRecords() == decoder.records,
                "records BPF submitted - records received = 0");
        r.check("verify", "events_vs_bpf", "count", end.totalEvents() - decoder.events, end.totalEvents() == decoder.events,
                "events BPF submitted - events received = 0");
        r.check("verify", "malformed", "count", decoder.malformed, decoder.malformed == 0, "expected 0");
        r.check("verify", "foreign", "count", decoder.foreign, decoder.foreign == 0, "every event names a producer of this trial and a place in its burst");
    }

    static double meanElapsed(Producers.Phase phase) {
        double sum = 0;
        for (long e : phase.elapsedNs()) sum += e;
        return sum / phase.elapsedNs().length;
    }
}
