package io.gamerlab.bench.taskctx;

import io.gamerlab.sched.Axis;
import java.util.ArrayList;
import java.util.List;

/**
 * One point of the task-context bench: the layout of {@code struct task_ctx} (a value of the
 * scheduler's taskctx axis, {@link Axis#TASKCTX}) and which threads call: both (the measurement),
 * or one of them while the other sits idle (the controls). The writer's task context exists in
 * every config: it is made before the warm-up.
 */
record Config(String layout, Threads threads) {

    /** Which of the two pinned threads call getpgid during a trial's phases. */
    enum Threads {
        BOTH("writer+reader"),
        /** The writer idle: what the reader costs without anyone writing the task context. */
        READER_ALONE("reader-alone"),
        /** The reader idle: what the writer costs without anyone reading the task context. */
        WRITER_ALONE("writer-alone");

        final String label;

        Threads(String label) {
            this.label = label;
        }
    }

    Config {
        if (!Axis.TASKCTX.choices().contains(layout))
            throw new IllegalArgumentException("layout " + layout + "; the taskctx axis has " + Axis.TASKCTX.choices());
    }

    /** Every layout with every choice of threads. */
    static List<Config> matrix() {
        List<Config> configs = new ArrayList<>();
        for (String layout : Axis.TASKCTX.choices())
            for (Threads t : Threads.values()) configs.add(new Config(layout, t));
        return List.copyOf(configs);
    }

    boolean writerRuns() {
        return threads != Threads.READER_ALONE;
    }

    boolean readerRuns() {
        return threads != Threads.WRITER_ALONE;
    }

    Config with(Threads t) {
        return new Config(layout, t);
    }

    /** Variant text, e.g. {@code taskctx=split}. */
    String variant() {
        return Axis.TASKCTX.key() + "=" + layout;
    }

    /** The -D flags of this layout's build, by the Axis rule (none for the default, packed). */
    List<String> flags() {
        return layout.equals(Axis.TASKCTX.defaultValue()) ? List.of() : List.of("-D" + Axis.TASKCTX.macro(layout));
    }

    @Override
    public String toString() {
        return variant() + " " + threads.label;
    }
}
