package io.gamerlab.sched;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What schedules a run: one build of our scheduler source, a value for every {@link Axis}, or
 * {@link #KERNEL_DEFAULT}, the kernel's own scheduler. Its canonical text, such as
 * {@code prefetch=on,taskctx=split} or {@code kernel-default}, is what datasets and charts show;
 * {@link #parse} reads it back (axes may be omitted, and then take their default).
 */
public final class Variant {

    public static final Variant BASELINE = new Variant(new EnumMap<>(Axis.class));

    /**
     * No sched_ext scheduler at all: the same workload under the kernel's own scheduler (EEVDF on
     * current kernels), the baseline every comparison can include. It has no axis values and
     * nothing to build, and is not part of the {@link #matrix()}.
     */
    public static final Variant KERNEL_DEFAULT = new Variant(null);

    private static final String KERNEL_DEFAULT_LABEL = "kernel-default";

    private final Map<Axis, String> values;  // empty for KERNEL_DEFAULT only

    private Variant(Map<Axis, String> chosen) {
        EnumMap<Axis, String> all = new EnumMap<>(Axis.class);
        if (chosen != null) for (Axis axis : Axis.values()) all.put(axis, chosen.getOrDefault(axis, axis.defaultValue()));
        this.values = Collections.unmodifiableMap(all);
    }

    /** Whether this is the kernel's own scheduler rather than a build of ours. */
    public boolean isKernelDefault() {
        return values.isEmpty();
    }

    private void requireBuild(String what) {
        if (isKernelDefault())
            throw new IllegalStateException(KERNEL_DEFAULT_LABEL + " is the kernel's own scheduler, not a build of ours: it has no " + what);
    }

    /**
     * Parses {@code axis=value,...}, {@code baseline} or {@code kernel-default}; an error names the
     * bad axis or value and lists the valid ones.
     */
    public static Variant parse(String text) {
        EnumMap<Axis, String> chosen = new EnumMap<>(Axis.class);
        if (text.isBlank() || text.equals("baseline")) return BASELINE;
        if (text.strip().equals(KERNEL_DEFAULT_LABEL)) return KERNEL_DEFAULT;
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", -1);
            if (kv.length != 2)
                throw new IllegalArgumentException("variant part '" + part + "' is not axis=value (in '" + text + "'); a variant is axis=value,... or baseline or " + KERNEL_DEFAULT_LABEL);
            Axis axis = Axis.byKey(kv[0].trim());
            String value = kv[1].trim();
            if (!axis.choices().contains(value))
                throw new IllegalArgumentException("axis " + axis.key() + " has no value '" + value + "'; valid: " + axis.choices());
            if (chosen.put(axis, value) != null)
                throw new IllegalArgumentException("axis " + axis.key() + " is given twice in '" + text + "'");
        }
        return new Variant(chosen);
    }

    public Variant with(Axis axis, String value) {
        requireBuild("axes to change");
        if (!axis.choices().contains(value))
            throw new IllegalArgumentException("axis " + axis.key() + " has no value '" + value + "'; valid: " + axis.choices());
        EnumMap<Axis, String> changed = new EnumMap<>(values);
        changed.put(axis, value);
        return new Variant(changed);
    }

    public String get(Axis axis) {
        requireBuild("axis values");
        return values.get(axis);
    }

    /** Every combination of every axis: the matrix the tests build. */
    public static List<Variant> matrix() {
        List<Variant> all = new ArrayList<>(List.of(BASELINE));
        for (Axis axis : Axis.values()) {
            List<Variant> next = new ArrayList<>();
            for (Variant v : all) for (String value : axis.choices()) next.add(v.with(axis, value));
            all = next;
        }
        return all;
    }

    /**
     * A few of {@code variants} that together hold every pair of axis values found together in any
     * of them: for the {@link #matrix()}, every value of each axis beside every value of every other
     * axis (a pairwise covering set). Greedy, in list order: each pick is the first variant holding
     * the most pairs not yet held, so a list always gives the same set, and its first variant leads it.
     */
    public static List<Variant> pairwise(List<Variant> variants) {
        Set<String> unheld = new HashSet<>();
        variants.forEach(v -> unheld.addAll(v.pairs()));
        List<Variant> chosen = new ArrayList<>();
        while (!unheld.isEmpty()) {
            Variant best = null;
            long most = 0;
            for (Variant v : variants) {
                long fresh = v.pairs().stream().filter(unheld::contains).count();
                if (fresh > most) {
                    best = v;
                    most = fresh;
                }
            }
            chosen.add(best);
            unheld.removeAll(best.pairs());
        }
        return chosen;
    }

    /** Each pair of this variant's axis values, as text such as {@code ringbuf=shared,batch=4}; none for kernel-default. */
    private List<String> pairs() {
        List<String> pairs = new ArrayList<>();
        List<Map.Entry<Axis, String>> all = List.copyOf(values.entrySet());
        for (int i = 0; i < all.size(); i++)
            for (int j = i + 1; j < all.size(); j++)
                pairs.add(all.get(i).getKey().key() + "=" + all.get(i).getValue() + "," + all.get(j).getKey().key() + "=" + all.get(j).getValue());
        return pairs;
    }

    /** The C flags that select this build: one macro per axis not at its default. */
    public List<String> compilerFlags() {
        requireBuild("build flags");
        List<String> flags = new ArrayList<>();
        values.forEach((axis, value) -> {
            if (!value.equals(axis.defaultValue())) flags.add("-D" + axis.macro(value));
        });
        return flags;
    }

    /** The canonical text: every axis, in declaration order; {@code kernel-default} for the kernel's scheduler. */
    public String label() {
        if (isKernelDefault()) return KERNEL_DEFAULT_LABEL;
        StringBuilder s = new StringBuilder();
        values.forEach((axis, value) -> s.append(s.isEmpty() ? "" : ",").append(axis.key()).append('=').append(value));
        return s.toString();
    }

    @Override
    public String toString() {
        return label();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Variant v && v.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
