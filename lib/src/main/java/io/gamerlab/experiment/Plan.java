package io.gamerlab.experiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The order an experiment's cells run in: a randomized complete block design. Repetition r is one
 * block holding every variant x workload condition once (and one control cell: the first variant
 * under the first workload with measurement off), so repetitions of a condition are spread over
 * the whole sweep instead of run back to back, and slow drift of the machine hits every variant
 * alike. Within a block the order is random, drawn from the experiment's seed with
 * {@link Random} (whose sequence for a seed the JDK specifies), so the same seed gives the same
 * plan on any machine; it is chosen so that two cells of the same variant are never adjacent,
 * across block boundaries too, wherever the counts make that possible.
 */
public final class Plan {

    private Plan() { }

    public static List<Cell> of(Experiment e) {
        List<Condition> block = new ArrayList<>();
        for (VariantChoice v : e.variants()) for (WorkloadChoice w : e.workloads()) block.add(new Condition(v, w, true));
        block.add(new Condition(e.variants().getFirst(), e.workloads().getFirst(), false));
        int total = block.size() * e.repetitions();
        int width = Math.max(4, Integer.toString(total).length());
        Random random = new Random(e.seed());
        List<Cell> cells = new ArrayList<>(total);
        Condition previous = null;
        for (int repetition = 1; repetition <= e.repetitions(); repetition++) {
            for (Condition c : arrange(block, previous, random)) {
                cells.add(Cell.at(cells.size() + 1, width, c.variant, c.workload, repetition, c.measured));
                previous = c;
            }
        }
        return List.copyOf(cells);
    }

    private record Condition(VariantChoice variant, WorkloadChoice workload, boolean measured) {
        String key() {
            return variant.label();
        }
    }

    /**
     * A random order of {@code block} in which no two neighbours (nor the first and
     * {@code previous}) share a variant, where one exists: each step picks at random among the
     * cells that keep the rest arrangeable. Where none exists, the repeat is put first.
     */
    private static List<Condition> arrange(List<Condition> block, Condition previous, Random random) {
        List<Condition> remaining = new ArrayList<>(block);
        Map<String, Integer> counts = new HashMap<>();
        for (Condition c : block) counts.merge(c.key(), 1, Integer::sum);
        List<Condition> order = new ArrayList<>(block.size());
        Condition last = previous;
        while (!remaining.isEmpty()) {
            Condition before = last;
            Set<String> keepArrangeable = arrangeableKeys(counts, remaining.size());
            List<Predicate<Condition>> preferences = List.of(
                    c -> !sameVariant(c, before) && keepArrangeable.contains(c.key()),
                    // None: accept one repeat of the variant here (not of the condition) if that
                    // keeps the rest arrangeable, so two blocks meet on it and the block alternates.
                    c -> !c.equals(before) && keepArrangeable.contains(c.key()),
                    c -> !sameVariant(c, before),
                    c -> !c.equals(before),
                    c -> true);
            List<Integer> candidates = new ArrayList<>();
            for (Predicate<Condition> preferred : preferences) {
                for (int i = 0; i < remaining.size(); i++) if (preferred.test(remaining.get(i))) candidates.add(i);
                if (!candidates.isEmpty()) break;
            }
            Condition chosen = remaining.remove((int) candidates.get(random.nextInt(candidates.size())));
            counts.merge(chosen.key(), -1, Integer::sum);
            order.add(chosen);
            last = chosen;
        }
        return order;
    }

    private static boolean sameVariant(Condition a, Condition b) {
        return b != null && a.key().equals(b.key());
    }

    /**
     * The keys whose taking leaves the rest (n - 1 cells) orderable with no two neighbours sharing
     * a key, starting next to the taken one: no other key may then hold more than half the rest
     * rounded up, and the taken key at most half rounded down.
     */
    private static Set<String> arrangeableKeys(Map<String, Integer> counts, int n) {
        String top = null;
        int first = 0;
        int second = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > first) {
                second = first;
                first = e.getValue();
                top = e.getKey();
            } else if (e.getValue() > second) {
                second = e.getValue();
            }
        }
        Set<String> keys = new HashSet<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() == 0) continue;
            int largestOther = e.getKey().equals(top) ? second : first;
            if (e.getValue() - 1 <= (n - 1) / 2 && largestOther <= n / 2) keys.add(e.getKey());
        }
        return keys;
    }
}
