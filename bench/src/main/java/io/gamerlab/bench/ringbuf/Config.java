package io.gamerlab.bench.ringbuf;

import io.gamerlab.sched.Axis;
import java.util.ArrayList;
import java.util.List;

/**
 * One point of the ring-buffer bench matrix: what kind of trial, the trigger's build (ringbuf,
 * batch, prefetch: the variant axes of {@code input_events.bpf.h}, named by {@link Axis}), its
 * notification tunable ({@code input_wakeup_every}), the consumer, the number of pinned
 * producers, and the events each getpgid emits.
 *
 * <p>A {@link Kind#LIVE live} trial runs a consumer beside the producers, one event per getpgid
 * ({@code input_trigger}). A {@link Kind#PRODUCER_ONLY producer-only} trial runs no consumer while
 * the producers run: each getpgid emits a burst of {@code burst} events ({@code
 * input_trigger_burst}) into rings sized to hold the whole trial, drained and checked afterwards;
 * its consumer is {@link ConsumerKind#NONE}. A {@link Kind#BASELINE baseline} has the producer
 * loop with the trigger attached but its {@code target_tgid} set to no process: every getpgid pays
 * the hook's early return and nothing more. Its build is the default one (shared, batch 1,
 * prefetch off); it has no consumer. A {@link Kind#KERNEL kernel} trial runs the kernel's own
 * ring-buffer bench ({@code bench_ringbufs}: {@link KernelTrial}) with one shared ring, its
 * {@code rb-libbpf} or {@code rb-custom} consumer ({@link ConsumerKind#LIBBPF}, {@link ConsumerKind#MMAP})
 * and its batch count as the burst.
 *
 * @param wakeupEvery {@code input_wakeup_every}: 1 = submit with flags 0 (the kernel wakes the
 *               consumer when it had caught up), N &gt; 1 = BPF_RB_FORCE_WAKEUP every Nth record of
 *               a CPU and BPF_RB_NO_WAKEUP otherwise
 * @param burst  events per getpgid: 1 for live trials and baselines, 1.. for producer-only and kernel trials
 */
record Config(Kind kind, String ringbuf, int batch, boolean prefetch, int wakeupEvery, ConsumerKind consumer, int producers, int burst) {

    /** What a trial runs. */
    enum Kind {
        LIVE, PRODUCER_ONLY, BASELINE, KERNEL
    }

    /** Who reads the rings. */
    enum ConsumerKind {
        /** libbpf's ring_buffer__consume/poll: one native-to-Java upcall per record. */
        LIBBPF,
        /** io.gamerlab.bpf.RingBufferMmapConsumer: walks the mmapped rings from Java. */
        MMAP,
        /** Nobody while the producers run: baselines (nothing to read) and producer-only trials (drained afterwards). */
        NONE;

        String label() {
            return name().toLowerCase();
        }
    }

    Config {
        if (!Axis.RINGBUF.choices().contains(ringbuf)) throw new IllegalArgumentException("ringbuf " + ringbuf);
        if (!Axis.BATCH.choices().contains(Integer.toString(batch))) throw new IllegalArgumentException("batch " + batch);
        if (wakeupEvery < 1) throw new IllegalArgumentException("wakeupEvery " + wakeupEvery);
        if (producers < 1) throw new IllegalArgumentException("producers " + producers);
        boolean consumes = kind == Kind.LIVE || kind == Kind.KERNEL;
        if (consumes == (consumer == ConsumerKind.NONE)) throw new IllegalArgumentException("live and kernel trials have a consumer, and only they: " + kind + " " + consumer);
        boolean bursts = kind == Kind.PRODUCER_ONLY || kind == Kind.KERNEL;
        if (burst < 1 || burst > Producers.MAX_BURST || (!bursts && burst != 1))
            throw new IllegalArgumentException("burst " + burst + " (1.." + Producers.MAX_BURST + ", and only producer-only and kernel trials have more than 1)");
        if (kind == Kind.KERNEL && !(ringbuf.equals("shared") && batch == 1 && !prefetch && wakeupEvery == 1))
            throw new IllegalArgumentException("the kernel's bench has one shared ring, one record per reserve and per-record notification");
    }

    static Config event(String ringbuf, int batch, boolean prefetch, int wakeupEvery, ConsumerKind consumer, int producers) {
        return new Config(Kind.LIVE, ringbuf, batch, prefetch, wakeupEvery, consumer, producers, 1);
    }

    static Config producerOnly(String ringbuf, int batch, int producers, int burst) {
        return new Config(Kind.PRODUCER_ONLY, ringbuf, batch, false, 1, ConsumerKind.NONE, producers, burst);
    }

    static Config kernel(ConsumerKind consumer, int producers, int batchCount) {
        return new Config(Kind.KERNEL, "shared", 1, false, 1, consumer, producers, batchCount);
    }

    static Config baseline(int producers) {
        return new Config(Kind.BASELINE, "shared", 1, false, 1, ConsumerKind.NONE, producers, 1);
    }

    boolean baseline() {
        return kind == Kind.BASELINE;
    }

    boolean producerOnly() {
        return kind == Kind.PRODUCER_ONLY;
    }

    boolean kernel() {
        return kind == Kind.KERNEL;
    }

    /** The kernel bench's name for this consumer: rb-libbpf (libbpf's ring_buffer__poll) or rb-custom (its own mmap walk). */
    String kernelBench() {
        return consumer == ConsumerKind.LIBBPF ? "rb-libbpf" : "rb-custom";
    }

    /**
     * Variant text, e.g. {@code ringbuf=percpu,batch=8,prefetch=on}; producer-only trials add their
     * burst ({@code ...,burst=64}); {@code baseline} for a baseline; {@code bench_ringbufs=rb-custom,burst=50}
     * for the kernel's bench (not our build: no axis in it).
     */
    String variant() {
        if (baseline()) return "baseline";
        if (kernel()) return "bench_ringbufs=" + kernelBench() + ",burst=" + burst;
        return producerOnly() ? build(ringbuf, batch, prefetch) + ",burst=" + burst : build(ringbuf, batch, prefetch);
    }

    /** The -D flags of this build, by the Axis rule (none for a default value). */
    List<String> flags() {
        return flags(ringbuf, batch, prefetch);
    }

    /** The variant text of a trigger build, e.g. {@code ringbuf=percpu,batch=8,prefetch=on}. */
    static String build(String ringbuf, int batch, boolean prefetch) {
        return Axis.RINGBUF.key() + "=" + ringbuf + "," + Axis.BATCH.key() + "=" + batch + "," + Axis.PREFETCH.key() + "=" + (prefetch ? "on" : "off");
    }

    /** The -D flags of a trigger build, by the Axis rule (none for a default value). */
    static List<String> flags(String ringbuf, int batch, boolean prefetch) {
        List<String> flags = new ArrayList<>();
        flag(flags, Axis.RINGBUF, ringbuf);
        flag(flags, Axis.BATCH, Integer.toString(batch));
        flag(flags, Axis.PREFETCH, prefetch ? "on" : "off");
        return flags;
    }

    private static void flag(List<String> flags, Axis axis, String value) {
        if (!value.equals(axis.defaultValue())) flags.add("-D" + axis.macro(value));
    }

    String notifyLabel() {
        return baseline() ? "-" : Integer.toString(wakeupEvery);
    }

    Config withRingbuf(String value) {
        return new Config(kind, value, batch, prefetch, wakeupEvery, consumer, producers, burst);
    }

    Config withBatch(int value) {
        return new Config(kind, ringbuf, value, prefetch, wakeupEvery, consumer, producers, burst);
    }

    Config withPrefetch(boolean value) {
        return new Config(kind, ringbuf, batch, value, wakeupEvery, consumer, producers, burst);
    }

    Config withNotify(int value) {
        return new Config(kind, ringbuf, batch, prefetch, value, consumer, producers, burst);
    }

    Config withConsumer(ConsumerKind value) {
        return new Config(kind, ringbuf, batch, prefetch, wakeupEvery, value, producers, burst);
    }

    Config withProducers(int value) {
        return new Config(kind, ringbuf, batch, prefetch, wakeupEvery, consumer, value, burst);
    }

    @Override
    public String toString() {
        return variant() + " consumer=" + consumer.label() + " producers=" + producers + " notify=" + notifyLabel();
    }
}
