package io.gamerlab.sched;

import java.util.List;
import java.util.Locale;

/**
 * A build-time choice in the scheduler source: the one definition of each variant axis. It names
 * the axis in variant text and dataset rows, lists its values (the first is the default, the build
 * with no flag), and derives the C macro that selects any other value, e.g. {@code -DGAMER_TASKCTX_SPLIT}.
 *
 * <p>Only axes that the scheduler's sources implement are listed; an axis value whose macro the
 * sources never test would make two names for one build (SchedulerBuildTest checks that).
 */
public enum Axis {
    /** Seed proposal 1: one ring buffer for all CPUs, one per CPU (single writer), or cpu % 4 shards. */
    RINGBUF("ringbuf", List.of("shared", "percpu", "sharded")),
    /** Seed proposal 2: {@code __builtin_prefetch} after a ring reserve and at task and CPU context lookups. */
    PREFETCH("prefetch", List.of("off", "on")),
    /** Seed proposal 3: input events per ring-buffer reserve/submit; a timer flushes partial batches. */
    BATCH("batch", List.of("1", "4", "8", "16")),
    /** Seed proposal 5: classification flags beside write-heavy counters, or on their own cache line. */
    TASKCTX("taskctx", List.of("packed", "split")),
    /** Seed proposal 4: a pipeline stage that wakes the next stage boosts it. */
    PIPELINE("pipeline", List.of("off", "on"));

    private final String key;
    private final List<String> choices;

    Axis(String key, List<String> choices) {
        this.key = key;
        this.choices = choices;
    }

    public String key() {
        return key;
    }

    /** The values this axis can take; the first is the default. */
    public List<String> choices() {
        return choices;
    }

    public String defaultValue() {
        return choices.getFirst();
    }

    /** The macro defined when {@code value} is chosen; the default value defines none. */
    public String macro(String value) {
        return ("GAMER_" + key + "_" + value).toUpperCase(Locale.ROOT);
    }

    public static Axis byKey(String key) {
        for (Axis a : values()) if (a.key.equals(key)) return a;
        throw new IllegalArgumentException("unknown variant axis '" + key + "'; valid axes: "
                + java.util.Arrays.stream(values()).map(Axis::key).toList());
    }
}
