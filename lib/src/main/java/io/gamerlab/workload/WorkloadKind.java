package io.gamerlab.workload;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A kind of workload the registry ({@link Workloads}) names: its name in the text form, what it
 * does, its typed parameters, a check across parameters (e.g. work per frame shorter than the
 * frame), and how to build a runnable workload from checked settings.
 */
public final class WorkloadKind {

    private final String name;
    private final String meaning;
    private final List<Parameter<?>> parameters;
    private final Consumer<Settings> check;
    private final Function<Settings, Workload> factory;

    WorkloadKind(String name, String meaning, List<Parameter<?>> parameters, Consumer<Settings> check,
                 Function<Settings, Workload> factory) {
        this.name = name;
        this.meaning = meaning;
        this.parameters = List.copyOf(parameters);
        this.check = check;
        this.factory = factory;
    }

    public String name() {
        return name;
    }

    public String meaning() {
        return meaning;
    }

    public List<Parameter<?>> parameters() {
        return parameters;
    }

    /** Every parameter at its default. */
    public Settings defaults() {
        return Settings.defaults(this);
    }

    Parameter<?> parameter(String key) {
        for (Parameter<?> p : parameters) if (p.name().equals(key)) return p;
        throw new IllegalArgumentException("workload " + name + " has no parameter '" + key + "'; its parameters: "
                + parameters.stream().map(Parameter::name).toList());
    }

    void check(Settings settings) {
        check.accept(settings);
    }

    /** Builds the workload on the machine that will run it (where {@code cpus} and devices resolve). */
    Workload create(Settings settings) {
        return factory.apply(settings);
    }

    /** Name, meaning and one line per parameter: {@code name=default (allowed): meaning}. */
    public String describe() {
        StringBuilder s = new StringBuilder(name).append(": ").append(meaning);
        for (Parameter<?> p : parameters) s.append("\n  ").append(p.describe());
        return s.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
