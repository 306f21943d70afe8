package io.gamerlab.bench.ringbuf;

import io.gamerlab.sched.Axis;
import java.util.ArrayList;
import java.util.List;

/**
 * One point of the ring-buffer bench matrix: the trigger's build (ringbuf, batch, prefetch: the
 * variant axes of {@code input_events.bpf.h}, named by {@link Axis}), its notification tunable
 * ({@code input_wakeup_every}), the consumer, and the number of pinned producers.
 *
 * <p>A baseline config has the same producer loop with the trigger attached but its
 * {@code target_tgid} set to no process: every getpgid pays the hook's early return and nothing
 * more. Its build is the default one (shared, batch 1, prefetch off); it has no consumer.
 *
 * @param wakeupEvery {@code input_wakeup_every}: 1 = submit with flags 0 (the kernel wakes the
 *               consumer when it had caught up), N &gt; 1 = BPF_RB_FORCE_WAKEUP every Nth record of
 *               a CPU and BPF_RB_NO_WAKEUP otherwise
 */
record Config(String ringbuf, int batch, boolean prefetch, int wakeupEvery, ConsumerKind consumer, int producers, boolean baseline) {

    /** Who reads the rings. */
    enum ConsumerKind {
        /** libbpf's ring_buffer__consume/poll: one native-to-Java upcall per record. */
        LIBBPF,
        /** io.gamerlab.bpf.RingBufferMmapConsumer: walks the mmapped rings from Java. */
        MMAP,
        /** baseline runs: nothing to read. */
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
        if (baseline != (consumer == ConsumerKind.NONE)) throw new IllegalArgumentException("a baseline has no consumer, and only a baseline");
    }

    static Config event(String ringbuf, int batch, boolean prefetch, int wakeupEvery, ConsumerKind consumer, int producers) {
        return new Config(ringbuf, batch, prefetch, wakeupEvery, consumer, producers, false);
    }

    static Config baseline(int producers) {
        return new Config("shared", 1, false, 1, ConsumerKind.NONE, producers, true);
    }

    /** Variant text, e.g. {@code ringbuf=percpu,batch=8,prefetch=on}; {@code baseline} for a baseline. */
    String variant() {
        if (baseline) return "baseline";
        return Axis.RINGBUF.key() + "=" + ringbuf + "," + Axis.BATCH.key() + "=" + batch + "," + Axis.PREFETCH.key() + "=" + (prefetch ? "on" : "off");
    }

    /** The -D flags of this build, by the Axis rule (none for a default value). */
    List<String> flags() {
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
        return baseline ? "-" : Integer.toString(wakeupEvery);
    }

    Config withRingbuf(String value) {
        return new Config(value, batch, prefetch, wakeupEvery, consumer, producers, baseline);
    }

    Config withBatch(int value) {
        return new Config(ringbuf, value, prefetch, wakeupEvery, consumer, producers, baseline);
    }

    Config withPrefetch(boolean value) {
        return new Config(ringbuf, batch, value, wakeupEvery, consumer, producers, baseline);
    }

    Config withNotify(int value) {
        return new Config(ringbuf, batch, prefetch, value, consumer, producers, baseline);
    }

    Config withConsumer(ConsumerKind value) {
        return new Config(ringbuf, batch, prefetch, wakeupEvery, value, producers, baseline);
    }

    @Override
    public String toString() {
        return variant() + " consumer=" + consumer.label() + " producers=" + producers + " notify=" + notifyLabel();
    }
}
