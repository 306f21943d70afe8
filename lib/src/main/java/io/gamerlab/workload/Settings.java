package io.gamerlab.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Checked values for every parameter of one {@link WorkloadKind}: each in its range, and the
 * kind's check across parameters passed. Its canonical text, {@code kind:name=value,...} with
 * every parameter in declaration order, parses back to equal settings.
 */
public final class Settings {

    private final WorkloadKind kind;
    private final Map<Parameter<?>, Object> values;

    private Settings(WorkloadKind kind, Map<Parameter<?>, Object> values) {
        this.kind = kind;
        this.values = values;
    }

    static Settings defaults(WorkloadKind kind) {
        Map<Parameter<?>, Object> values = new LinkedHashMap<>();
        for (Parameter<?> p : kind.parameters()) values.put(p, p.defaultValue());
        Settings s = new Settings(kind, values);
        kind.check(s);
        return s;
    }

    /**
     * Settings from {@code name=value} pairs separated by commas (empty: all defaults); a
     * parameter not given keeps its default.
     */
    static Settings parse(WorkloadKind kind, String pairs) {
        Map<Parameter<?>, Object> values = new LinkedHashMap<>();
        for (Parameter<?> p : kind.parameters()) values.put(p, p.defaultValue());
        Map<Parameter<?>, String> given = new LinkedHashMap<>();
        if (!pairs.isBlank()) {
            for (String pair : pairs.split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq < 0)
                    throw new IllegalArgumentException(kind.name() + ": '" + pair + "' is not name=value (in '" + pairs + "')");
                Parameter<?> p = kind.parameter(pair.substring(0, eq).strip());
                if (given.put(p, pair) != null)
                    throw new IllegalArgumentException(kind.name() + ": " + p.name() + " is given twice (in '" + pairs + "')");
                values.put(p, p.parse(kind.name(), pair.substring(eq + 1)));
            }
        }
        Settings s = new Settings(kind, values);
        kind.check(s);
        return s;
    }

    public WorkloadKind kind() {
        return kind;
    }

    public <T> T get(Parameter<T> parameter) {
        if (!values.containsKey(parameter))
            throw new IllegalArgumentException("workload " + kind.name() + " has no parameter " + parameter.name());
        return parameter.cast(values.get(parameter));
    }

    /** These settings with one parameter changed, range and cross-parameter checks included. */
    public <T> Settings with(Parameter<T> parameter, T value) {
        get(parameter);
        parameter.check(kind.name(), value);
        Map<Parameter<?>, Object> changed = new LinkedHashMap<>(values);
        changed.put(parameter, value);
        Settings s = new Settings(kind, changed);
        kind.check(s);
        return s;
    }

    /** {@code kind:name=value,...}, every parameter, in declaration order. */
    public String text() {
        StringJoiner pairs = new StringJoiner(",", kind.name() + ":", "");
        values.forEach((p, v) -> pairs.add(p.name() + "=" + format(p, v)));
        return pairs.toString();
    }

    /** One parameter's value as its text form writes it, e.g. {@code 16.6ms}, for error messages. */
    public <T> String format(Parameter<T> parameter) {
        return parameter.format(get(parameter));
    }

    private static <T> String format(Parameter<T> p, Object value) {
        return p.format(p.cast(value));
    }

    Workload create() {
        return kind.create(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && s.kind == kind && s.values.equals(values);
    }

    @Override
    public int hashCode() {
        return kind.name().hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
