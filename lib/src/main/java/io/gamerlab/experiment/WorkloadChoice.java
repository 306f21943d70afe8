package io.gamerlab.experiment;

import io.gamerlab.util.InvalidInputException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A workload by name with its parameters, as an experiment declares it: {@code gameloop} with
 * {@code hogs=2}. Its text form (name, then {@code key=value} pairs joined by ',', keys sorted) is
 * what dataset rows record.
 */
public record WorkloadChoice(String name, SortedMap<String, String> params) {

    static final String NAME = "[a-z][a-z0-9-]{0,39}";
    static final String KEY = "[a-z][a-z0-9_]{0,39}";
    /** No ',' or '=' (the text form's separators), no spaces or control characters. */
    static final String VALUE = "[A-Za-z0-9._:/+-]{1,200}";

    public WorkloadChoice {
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }

    /** Checks the name and every parameter's form; {@code field} names the workload in errors. */
    public static WorkloadChoice of(String field, String name, Map<String, String> params) {
        if (name == null || !name.matches(NAME))
            throw new InvalidInputException(field + ".name", name, "is not a workload name",
                    "lower-case letters, digits and '-', starting with a letter, at most 40 characters (e.g. gameloop)");
        params.forEach((key, value) -> {
            if (!key.matches(KEY))
                throw new InvalidInputException(field + "." + key, value, "'" + key + "' is not a parameter name",
                        "lower-case letters, digits and '_', starting with a letter, at most 40 characters");
            if (value == null || !value.matches(VALUE))
                throw new InvalidInputException(field + "." + key, value, "is not a parameter value",
                        "1 to 200 letters, digits or . _ : / + - (a number, a word, true or false)");
        });
        return new WorkloadChoice(name, new TreeMap<>(params));
    }

    /** The parameters as {@code key=value,...}, keys sorted; empty for none. */
    public String paramsText() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The name, then the parameters in parentheses if there are any: how plans and charts show it. */
    public String label() {
        return params.isEmpty() ? name : name + "(" + paramsText() + ")";
    }

    @Override
    public String toString() {
        return label();
    }
}
