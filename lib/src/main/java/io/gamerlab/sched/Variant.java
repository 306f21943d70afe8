package io.gamerlab.sched;

/**
 * One build of the scheduler source. The walking skeleton has a single build, {@code baseline};
 * the variant axes (ring-buffer layout, prefetch, batching, task-context layout, pipeline boost)
 * will each add a component to {@link #label()}, which names the build in every dataset row.
 */
public record Variant(String label) {

    public static final Variant BASELINE = new Variant("baseline");

    public static Variant parse(String text) {
        if (!text.equals(BASELINE.label))
            throw new IllegalArgumentException("unknown variant '" + text + "'; valid: " + BASELINE.label);
        return BASELINE;
    }

    /** The object file's name under the BPF build directory. */
    public String objectName() {
        return "gamer.bpf.o";
    }
}
