package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlanTest {

    private static Experiment experiment(long seed, int repetitions, List<String> variants, int workloads) {
        Experiment.Builder b = Experiment.named("plan").variants(variants.toArray(String[]::new)).repetitions(repetitions)
                .duration(Duration.ofSeconds(1)).seed(seed);
        for (int w = 0; w < workloads; w++) b.workload("gameloop", Map.of("hogs", Integer.toString(w)));
        return b.build();
    }

    private static final List<String> THREE = List.of("ringbuf=shared", "ringbuf=percpu", "kernel-default");

    @Test
    void theSameSeedGivesTheSamePlanAndAnotherSeedAnotherOrder() {
        List<Cell> a = Plan.of(experiment(42, 3, THREE, 2));
        assertEquals(a, Plan.of(experiment(42, 3, THREE, 2)));
        assertNotEquals(a.stream().map(Cell::id).toList(), Plan.of(experiment(43, 3, THREE, 2)).stream().map(Cell::id).toList());
    }

    @Test
    void everyRepetitionIsABlockOfEveryConditionOnceAndOneControlCell() {
        Experiment e = experiment(7, 4, THREE, 2);
        List<Cell> plan = Plan.of(e);
        int block = THREE.size() * 2 + 1;
        assertEquals(block * 4, plan.size());
        for (int r = 0; r < 4; r++) {
            List<Cell> cells = plan.subList(r * block, (r + 1) * block);
            int repetition = r + 1;
            assertTrue(cells.stream().allMatch(c -> c.repetition() == repetition), cells.toString());
            assertEquals(block, cells.stream().map(Cell::condition).distinct().count());
            List<Cell> controls = cells.stream().filter(c -> !c.measured()).toList();
            assertEquals(1, controls.size());
            assertEquals(e.variants().getFirst(), controls.getFirst().variant());
            assertEquals(e.workloads().getFirst(), controls.getFirst().workload());
        }
        for (int i = 0; i < plan.size(); i++) assertEquals(i + 1, plan.get(i).index());
        assertEquals(plan.size(), plan.stream().map(Cell::id).distinct().count());
    }

    @Test
    void noVariantRunsTwiceInARowWhereverTheCountsAllowIt() {
        Random seeds = new Random(1);
        for (int trial = 0; trial < 300; trial++) {
            long seed = seeds.nextLong();
            int variants = 2 + seeds.nextInt(4);
            int workloads = 1 + seeds.nextInt(3);
            List<String> names = List.of("ringbuf=shared", "ringbuf=percpu", "ringbuf=sharded", "kernel-default", "prefetch=on")
                    .subList(0, variants);
            List<Cell> plan = Plan.of(experiment(seed, 1 + seeds.nextInt(4), names, workloads));
            // With two variants the first one (which also has the control cell) fills more than
            // half a block, so a block must start and end with it: two blocks may then meet on it.
            // Inside a block, never; and a condition never repeats in a row.
            int block = variants * workloads + 1;
            for (int i = 1; i < plan.size(); i++) {
                Cell before = plan.get(i - 1);
                Cell now = plan.get(i);
                assertNotEquals(before.condition(), now.condition(), () -> "seed " + seed + ": " + plan);
                if (variants > 2 || i % block != 0)
                    assertNotEquals(before.variant(), now.variant(), () -> "seed " + seed + ": " + plan);
            }
        }
    }

    @Test
    void moreRepetitionsKeepTheFirstBlocksAndTheirIds() {
        List<Cell> two = Plan.of(experiment(9, 2, THREE, 2));
        List<Cell> five = Plan.of(experiment(9, 5, THREE, 2));
        assertEquals(two, five.subList(0, two.size()));
    }

    @Test
    void repetitionsOfAConditionAreSpreadOverTheSweep() {
        List<Cell> plan = Plan.of(experiment(3, 5, THREE, 2));
        Map<String, List<Integer>> places = plan.stream().collect(Collectors.groupingBy(Cell::condition,
                Collectors.mapping(Cell::index, Collectors.toList())));
        Set<Integer> counts = new HashSet<>();
        places.values().forEach(p -> counts.add(p.size()));
        assertEquals(Set.of(5), counts);
        int block = THREE.size() * 2 + 1;
        for (List<Integer> p : places.values())
            for (int r = 0; r < p.size(); r++) assertEquals(r, (p.get(r) - 1) / block, "one repetition per block: " + p);
    }
}
