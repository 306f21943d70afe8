package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.BpfStats;
import io.gamerlab.bench.host.HostLoad;
import io.gamerlab.bpf.BpfLink;
import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.bpf.RingBufferMaps;
import io.gamerlab.sched.InputEventStream;
import io.gamerlab.sched.InputPathCounters;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One producer-only trial: the producers contend for the rings with nobody reading them. Each
 * getpgid emits a burst of events ({@code input_trigger_burst}, through the scheduler's own
 * {@code gamer_emit_input_event}), so the producers can outrun the ring; the rings are sized
 * before load to hold every record of the trial (warm-up and measured phase), so no reserve ever
 * fails for want of space and nothing but the producers touches a ring while they run. Each phase
 * is a fixed number of calls per producer (what a ring sized for it needs). The producers run under
 * SCHED_FIFO: contention needs writers that run at the same time, and on a shared machine ordinary
 * threads get a CPU only now and then (a phase is a few tens of milliseconds of CPU per producer,
 * so the real-time share it takes from others is short). After the producers
 * stop and BPF holds nothing staged, a consumer drains the rings and every event is accounted for,
 * by per-CPU sequence and per-producer position, as in a live trial; a single drop fails the trial.
 */
final class ProducerOnlyTrial {
    /** The burst program of the trigger object (getpgid_trigger.bpf.h). */
    static final String BURST_PROGRAM = "input_trigger_burst";
    /** The warm-up phase, as a share of the measured phase's calls. */
    static final double WARMUP_SHARE = 0.25;
    /** BPF's ring-buffer record header (struct bpf_ringbuf_hdr). */
    private static final int RINGBUF_HEADER_BYTES = 8;
    private static final int PAGE = 4096;
    private static final int MAX_RING_BYTES = 1 << 30;
    private static final String PERCPU_RING = "input_rings[";

    private ProducerOnlyTrial() {
    }

    /** @param eventsPerProducer events each producer emits in the measured phase (rounded up to whole bursts of the producers' step) */
    static TrialResult run(Config config, int repetition, int order, Path object, long eventsPerProducer, int cpus, int consumerCpu, long drainTimeoutNs) {
        if (!config.producerOnly()) throw new IllegalArgumentException("not a producer-only config: " + config);
        TrialResult result = new TrialResult(config, repetition, order);
        long calls = Producers.roundedCalls((eventsPerProducer + config.burst() - 1) / config.burst());
        long warmupCalls = Producers.roundedCalls((long) Math.ceil(calls * WARMUP_SHARE));
        try (BpfObject o = BpfObject.open(object)) {
            o.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            o.setReadOnlyU32("trigger_burst", config.burst());
            o.setReadOnlyU32("input_wakeup_every", 1);
            InputEventStream.prepare(o);
            Map<String, Long> ringBytes = sizeRings(o, config, cpus, (calls + warmupCalls) * config.burst());
            o.load();
            int programFd = o.programFd(BURST_PROGRAM);
            if (config.ringbuf().equals("percpu")) fillPerCpuRings(o, ringBytes);
            EventDecoder decoder = new EventDecoder(o.map("input_cpus").possibleCpus(), config.producers() + 1, config.burst(), null);
            Producers producers = new Producers(config.producers(), cpus, true);
            Producers.Phase measured;
            BpfStats.Reading stats;
            InputPathCounters c0;
            InputPathCounters c1;
            double otherLoad;
            try (BpfLink link = o.attachProgram(BURST_PROGRAM)) {
                producers.runCalls(warmupCalls);
                c0 = InputPathCounters.read(o);
                BpfStats.Reading s0 = BpfStats.read(programFd);
                HostLoad load0 = HostLoad.now();
                measured = producers.runCalls(calls);
                otherLoad = HostLoad.now().otherBusyShareSince(load0);
                stats = BpfStats.read(programFd).minus(s0);
                c1 = InputPathCounters.read(o);
            }
            // Only now a consumer: it drains what the whole trial left in the rings.
            boolean drained;
            long drainCpuNs;
            boolean staged = Trial.drain(o, decoder, null, drainTimeoutNs);
            try (ConsumerThread consumer = new ConsumerThread(Config.ConsumerKind.MMAP, o, config.ringbuf(), decoder, consumerCpu, false)) {
                drained = staged && Trial.drain(o, decoder, consumer, drainTimeoutNs);
                drainCpuNs = consumer.cpuNs();
            }
            InputPathCounters end = InputPathCounters.read(o);
            record(result, config, measured, stats, c0, c1, drainCpuNs, decoder);
            Trial.wholeTrial(result, producers.totalCalls(), end, drained);
            Trial.accountForEvents(result, end, decoder, producers, config.burst());
            result.check("verify", "ring_held_trial", "count", end.totalDrops(), end.totalDrops() == 0,
                    "no drop: the rings were sized to hold every record of the trial");
            ringBytes.forEach((ring, bytes) -> result.add("ring", "bytes." + ring, "bytes", bytes, "sized before load for the whole trial"));
            result.add("host", "other_busy_share", "ratio", otherLoad,
                    "share of all CPU time busy outside this process (incl. steal), measured window, from /proc/stat ticks");
        }
        return result;
    }

    private static void record(TrialResult r, Config config, Producers.Phase measured, BpfStats.Reading stats, InputPathCounters c0,
                               InputPathCounters c1, long drainCpuNs, EventDecoder decoder) {
        int burst = config.burst();
        long events = measured.totalCalls() * burst;
        long records = c1.totalRecords() - c0.totalRecords();
        double sumElapsed = 0;
        double minElapsed = Double.MAX_VALUE;
        double maxElapsed = 0;
        for (long e : measured.elapsedNs()) {
            sumElapsed += e;
            minElapsed = Math.min(minElapsed, e);
            maxElapsed = Math.max(maxElapsed, e);
        }
        r.add("producer", "events_per_s", "count/s", measured.eventsPerSecond() * burst,
                "events per second, all producers (sum of each one's rate: they ran side by side), measured phase");
        r.add("producer", "ns_per_event", "ns", measured.nsPerCall() / burst,
                "mean over producers of elapsed / events emitted: the per-record producer cost (a record is an event at batch 1)");
        r.add("producer", "cpu_ns_per_event", "ns", measured.cpuNsPerCall() / burst,
                "mean over producers of thread CPU time / events emitted: the per-event cost without the time other work held the producer's CPU");
        r.add("producer", "on_cpu_share", "ratio", measured.minOnCpuShare(),
                "least over producers of thread CPU time / elapsed: 1 when nothing else ran on the producers' CPUs");
        r.add("producer", "ns_per_record", "ns", records == 0 ? Double.NaN : sumElapsed / records,
                "sum of the producers' elapsed / records submitted in the measured phase");
        r.add("producer", "ns_per_call", "ns", measured.nsPerCall(), "mean over producers of elapsed / getpgid calls (" + burst + " event(s) each)");
        r.add("producer", "cpu_ns_per_call", "ns", measured.cpuNsPerCall(), "mean over producers of thread CPU time / getpgid calls");
        r.add("producer", "calls", "count", measured.totalCalls(), "measured phase");
        r.add("producer", "events", "count", events, "measured phase");
        r.add("producer", "overlap", "ratio", minElapsed / maxElapsed, "shortest / longest producer's elapsed time: how much of the phase they ran together");
        for (int p = 0; p < measured.calls().length; p++)
            r.add("producer", "p" + p + ".events_per_s", "count/s", measured.eventsPerSecond(p) * burst, "pinned to cpu " + measured.cpus()[p]);
        r.add("bpf", "ns_per_run", "ns", stats.nsPerRun(), "run_time_ns/run_cnt of the burst program, measured phase (BPF_ENABLE_STATS)");
        r.add("bpf", "ns_per_event", "ns", events == 0 ? Double.NaN : (double) stats.runTimeNs() / events,
                "the burst program's run time / events it emitted, measured phase (early returns for other syscalls included)");
        r.add("bpf", "runs", "count", stats.runCount(), "measured phase");
        r.add("bpf", "other_runs", "count", stats.runCount() - measured.totalCalls(), "runs for other syscalls/processes (early return), measured phase");
        r.add("bpf", "recursion_misses", "count", stats.recursionMisses(), "measured phase");
        r.add("bpf", "records_window", "count", records, "records submitted, measured phase");
        r.add("bpf", "drops_window", "count", c1.totalDrops() - c0.totalDrops(), "input_drops, measured phase");
        r.add("consumer", "drain_ns_per_event", "ns", decoder.events == 0 ? Double.NaN : (double) drainCpuNs / decoder.events,
                "CPU time of the consumer that drained the rings after the producers stopped, per event");
    }

    /**
     * Sizes the trigger's rings, before load, to hold {@code eventsPerProducer} events of each
     * producer that writes to them (producer p runs on CPU p % cpus; shard = CPU % 4; per-CPU ring =
     * CPU), as records of this batch size, rounded up to a power of two. Returns each written ring's
     * size in bytes by name (per-CPU rings, {@code input_rings[cpu]}, are created after load by
     * {@link #fillPerCpuRings}: their sizes are returned, not set).
     */
    static Map<String, Long> sizeRings(BpfObject o, Config config, int cpus, long eventsPerProducer) {
        int batch = config.batch();
        long recordBytes = align8(RINGBUF_HEADER_BYTES + (batch == 1 ? EventDecoder.EVENT_BYTES : EventDecoder.BATCH_HEADER_BYTES + (long) batch * EventDecoder.EVENT_BYTES));
        // Full batches; the 10 % and 64 pages spare cover partial batches the flush timer sends when a producer is held up.
        long recordsPerProducer = (eventsPerProducer + batch - 1) / batch;
        Map<String, Integer> writers = new LinkedHashMap<>();
        for (int p = 0; p < config.producers(); p++) writers.merge(ringOf(config.ringbuf(), p % cpus), 1, Integer::sum);
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : writers.entrySet()) {
            long need = (long) (e.getValue() * recordsPerProducer * recordBytes * 1.1) + 64L * PAGE;
            long bytes = Long.highestOneBit(need - 1) << 1;
            if (bytes > MAX_RING_BYTES)
                throw new IllegalArgumentException(config + ": " + e.getValue() + " producer(s) x " + eventsPerProducer + " events need a " + bytes
                        + "-byte ring, more than " + MAX_RING_BYTES + ": ask for fewer events per producer (--events)");
            sizes.put(e.getKey(), bytes);
            if (!config.ringbuf().equals("percpu")) o.map(e.getKey()).setMaxEntries(Math.toIntExact(bytes));
        }
        return sizes;
    }

    /** The ring a producer on {@code cpu} writes to, by input_reserve's rule. */
    private static String ringOf(String ringbuf, int cpu) {
        return switch (ringbuf) {
            case "shared" -> "input_ring";
            case "sharded" -> "input_ring_" + cpu % 4;
            case "percpu" -> PERCPU_RING + cpu + "]";
            default -> throw new IllegalArgumentException("ringbuf " + ringbuf);
        };
    }

    /**
     * Puts a ring of the size {@link #sizeRings} gave in each producer CPU's slot of input_rings
     * (producers run on CPUs 0, 1, ...: slot by slot from 0), then a ring of the declared size in
     * every other slot.
     */
    private static void fillPerCpuRings(BpfObject o, Map<String, Long> sizes) {
        BpfMap outer = o.map("input_rings");
        for (int cpu = 0; sizes.containsKey(PERCPU_RING + cpu + "]"); cpu++)
            RingBufferMaps.fillArrayOfMaps(outer, cpu + 1, Math.toIntExact(sizes.get(PERCPU_RING + cpu + "]")), Trial.RING_PREFIX);
        RingBufferMaps.fillArrayOfMaps(outer, outer.possibleCpus(), outer.innerMapMaxEntries(), Trial.RING_PREFIX);
    }

    private static long align8(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
