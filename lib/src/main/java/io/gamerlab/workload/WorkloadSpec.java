package io.gamerlab.workload;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which workload a run runs, in a text form that crosses into a guest and back:
 * {@code kind:name=value,...}, e.g. {@code pipeline:period=8.3ms,stages=4}. Parameters left out
 * take their defaults; {@code +} runs several kinds at once
 * ({@code pipeline:period=8.3ms+pressure}), each kind at most once. {@link #parse} checks every
 * value before anything runs; {@link #text} writes every parameter, so it reads back equal.
 */
public final class WorkloadSpec {

    private final List<Settings> parts;

    private WorkloadSpec(List<Settings> parts) {
        Set<WorkloadKind> kinds = new HashSet<>();
        for (Settings s : parts)
            if (!kinds.add(s.kind()))
                throw new IllegalArgumentException("workload " + s.kind().name() + " is given twice in '"
                        + parts.stream().map(Settings::text).collect(Collectors.joining("+")) + "'; each kind runs at most once");
        this.parts = List.copyOf(parts);
    }

    /** Parses {@code kind[:name=value,...][+kind...]}; an error names the kind, parameter, value and what is allowed. */
    public static WorkloadSpec parse(String text) {
        if (text == null || text.isBlank())
            throw new IllegalArgumentException("no workload given; known workloads: " + Workloads.names());
        List<Settings> parts = new ArrayList<>();
        for (String part : text.split("\\+", -1)) {
            int colon = part.indexOf(':');
            WorkloadKind kind = Workloads.kind((colon < 0 ? part : part.substring(0, colon)).strip());
            parts.add(Settings.parse(kind, colon < 0 ? "" : part.substring(colon + 1)));
        }
        return new WorkloadSpec(parts);
    }

    /** Settings run together, each of another kind. */
    public static WorkloadSpec of(Settings... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("a workload spec needs at least one workload");
        return new WorkloadSpec(List.of(parts));
    }

    public List<Settings> parts() {
        return parts;
    }

    /** This spec with {@code parameter} changed in the part whose kind has it. */
    public <T> WorkloadSpec with(Parameter<T> parameter, T value) {
        List<Settings> changed = new ArrayList<>(parts);
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).kind().parameters().contains(parameter)) {
                changed.set(i, parts.get(i).with(parameter, value));
                return new WorkloadSpec(changed);
            }
        }
        throw new IllegalArgumentException("workload " + text() + " has no parameter " + parameter.name());
    }

    /** Builds the workload where it will run: one kind alone, or several at once. */
    public Workload create() {
        List<Workload> workloads = parts.stream().map(Settings::create).toList();
        return workloads.size() == 1 ? workloads.getFirst() : new CompositeWorkload(workloads);
    }

    /** The canonical text: every parameter of every part. */
    public String text() {
        return parts.stream().map(Settings::text).collect(Collectors.joining("+"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkloadSpec w && w.parts.equals(parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
