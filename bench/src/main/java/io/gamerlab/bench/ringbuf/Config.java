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
 * prefetch off); it has no consumer.
 *
 * @param wakeupEvery {@code input_wakeup_every}: 1 = submit with flags 0 (the kernel wakes the
 *               consumer when it had caught up), N &gt; 1 = BPF_RB_FORCE_WAKEUP every Nth record of
 *               a CPU and BPF_RB_NO_WAKEUP otherwise
 * @param burst  events per getpgid: 1 for live trials and baselines, 1.. for producer-only trials
 */
record Config(Kind kind, String ringbuf, int batch, boolean prefetch, int wakeupEvery, ConsumerKind consumer, int producers, int burst) {

    /** What a trial runs. */
    enum Kind {
        LIVE, PRODUCER_ONLY, BASELINE
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
        if ((kind == Kind.LIVE) == (consumer == ConsumerKind.NONE)) throw new IllegalArgumentException("a live trial has a consumer, and only a live trial");
        if (burst < 1 || burst > Producers.MAX_BURST || (kind != Kind.PRODUCER_ONLY && burst != 1))
            throw new IllegalArgumentException("burst " + burst + " (1.." + Producers.MAX_BURST + ", and only producer-only trials have more than 1)");
    }

    static Config event(String ringbuf, int batch, boolean prefetch, int wakeupEvery, ConsumerKind consumer, int producers) {
        return new Config(Kind.LIVE, ringbuf, batch, prefetch, wakeupEvery, consumer, producers, 1);
    }

    static Config producerOnly(String ringbuf, int batch, int producers, int burst) {
        return new Config(Kind.PRODUCER_ONLY, ringbuf, batch, false, 1, ConsumerKind.NONE, producers, burst);
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

    /**
     * Variant text, e.g. {@code ringbuf=percpu,batch=8,prefetch=on}; producer-only trials add their
     * burst ({@code ...,burst=64}); {@code baseline} for a baseline.
     */
    String variant() {
        if (baseline()) return "baseline";
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
