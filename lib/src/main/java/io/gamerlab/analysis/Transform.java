package io.gamerlab.analysis;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;

/**
 * What a {@link Measure} does to each repetition's value before comparing: nothing, a throughput
 * as time per operation, or a time per operation as throughput.
 */
public enum Transform {
    NONE,
    /** A throughput in ops per time unit (JMH's ops/us, ...) as ns per operation. */
    NS_PER_OP,
    /** A time per operation in ns as operations per second (e.g. CPU ns per event as events per CPU-second). */
    PER_S;

    private static final Map<String, Double> NS_PER_UNIT = Map.of("ops/s", 1e9, "ops/ms", 1e6, "ops/us", 1e3, "ops/ns", 1.0);

    /** The value in the transformed unit. */
    public double apply(double value, String unit) {
        return switch (this) {
            case NONE -> value;
            case NS_PER_OP -> nsPer(unit) / value;
            case PER_S -> 1e9 / value;
        };
    }

    /** The unit of a transformed value. */
    public String unit(String unit) {
        return switch (this) {
            case NONE -> unit;
            case NS_PER_OP -> {
                nsPer(unit);
                yield "ns";
            }
            case PER_S -> {
                if (!unit.equals("ns"))
                    throw new IllegalArgumentException("per_s needs a time per operation in ns; the metric is in '" + unit + "'");
                yield "count/s";
            }
        };
    }

    private static double nsPer(String unit) {
        Double ns = NS_PER_UNIT.get(unit);
        if (ns == null)
            throw new IllegalArgumentException("ns_per_op needs a throughput in one of " + NS_PER_UNIT.keySet() + "; the metric is in '" + unit + "'");
        return ns;
    }

    public String key() {
        return LedgerKeys.key(this);
    }

    @JsonCreator
    public static Transform byKey(String key) {
        return LedgerKeys.byKey(Transform.class, key, "transform");
    }
}
