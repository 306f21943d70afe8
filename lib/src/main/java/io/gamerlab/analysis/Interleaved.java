package io.gamerlab.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * A small live experiment's repetitions: each labelled variant runs once per round, the variants
 * of a round in a seeded random order, so drift and other tenants' load fall on all alike (as the
 * benches interleave their trials). What notebook 07 measures with; each value is one repetition.
 */
public final class Interleaved {

    private Interleaved() { }

    /** {@code rounds} values per variant (after one discarded warm-up round), in the variants' order. */
    public static Map<String, Sample> run(int rounds, long seed, Map<String, DoubleSupplier> variants) {
        if (rounds < 2) throw new IllegalArgumentException("an interval needs at least 2 rounds; was " + rounds);
        if (variants.isEmpty()) throw new IllegalArgumentException("no variants to run");
        Map<String, List<Double>> values = new LinkedHashMap<>();
        variants.keySet().forEach(k -> values.put(k, new ArrayList<>()));
        List<String> order = new ArrayList<>(variants.keySet());
        Random random = new Random(seed);
        for (int round = -1; round < rounds; round++) {
            Collections.shuffle(order, random);
            for (String label : order) {
                double v = variants.get(label).getAsDouble();
                if (round >= 0) values.get(label).add(v);
            }
        }
        Map<String, Sample> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Sample.of(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return out;
    }
}
