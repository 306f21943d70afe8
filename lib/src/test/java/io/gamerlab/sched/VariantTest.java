package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantTest {

    @Test
    void theCanonicalTextNamesEveryAxisAndParsesBackToTheSameVariant() {
        for (Variant v : Variant.matrix()) assertEquals(v, Variant.parse(v.label()));
        assertEquals("ringbuf=shared,prefetch=off,batch=1,taskctx=packed,pipeline=off", Variant.BASELINE.label());
        assertEquals("ringbuf=percpu,prefetch=on,batch=8,taskctx=split,pipeline=off",
                Variant.parse("taskctx=split,batch=8,prefetch=on,ringbuf=percpu").label());
    }

    @Test
    void omittedAxesTakeTheirDefaultAndBaselineIsAnAlias() {
        assertEquals(Variant.BASELINE, Variant.parse("prefetch=off"));
        assertSame(Variant.BASELINE, Variant.parse("baseline"));
        assertEquals("split", Variant.parse("taskctx=split").get(Axis.TASKCTX));
    }

    @Test
    void aBadAxisIsNamedAndTheValidAxesListed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("ringbuff=percpu"));
        assertTrue(e.getMessage().contains("'ringbuff'") && e.getMessage().contains("[ringbuf, prefetch, batch, taskctx, pipeline]"), e.getMessage());
    }

    @Test
    void aBadValueIsNamedAndTheValidValuesListed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("taskctx=padded"));
        assertTrue(e.getMessage().contains("'padded'") && e.getMessage().contains("[packed, split]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Variant.parse("taskctx"));
        assertThrows(IllegalArgumentException.class, () -> Variant.parse("taskctx=split,taskctx=packed"));
    }

    @Test
    void theMatrixHoldsEveryCombinationOnce() {
        int expected = 1;
        for (Axis a : Axis.values()) expected *= a.choices().size();
        List<Variant> matrix = Variant.matrix();
        assertEquals(expected, matrix.size());
        assertEquals(expected, new HashSet<>(matrix).size());
    }

    @Test
    void thePairwiseSetOfTheMatrixHoldsEveryPairOfAxisValuesInFewVariants() {
        List<Variant> matrix = Variant.matrix();
        List<Variant> pairwise = Variant.pairwise(matrix);
        Axis[] axes = Axis.values();
        for (int i = 0; i < axes.length; i++)
            for (int j = i + 1; j < axes.length; j++)
                for (String a : axes[i].choices())
                    for (String b : axes[j].choices()) {
                        Axis x = axes[i], y = axes[j];
                        assertTrue(pairwise.stream().anyMatch(v -> v.get(x).equals(a) && v.get(y).equals(b)),
                                x.key() + "=" + a + " beside " + y.key() + "=" + b + " in " + pairwise);
                    }
        assertTrue(matrix.containsAll(pairwise));
        assertEquals(pairwise.size(), new HashSet<>(pairwise).size());
        assertEquals(Variant.BASELINE, pairwise.getFirst());
        // the two largest axes' values alone make 3 x 4 pairs, one variant each at best
        assertTrue(pairwise.size() < matrix.size() / 4, pairwise.size() + " of " + matrix.size());
        assertEquals(pairwise, Variant.pairwise(matrix), "the same list gives the same set");
    }

    @Test
    void aPairwiseSetOfAFewVariantsKeepsEachThatHoldsAPairNoOtherDoes() {
        Variant percpu = Variant.parse("ringbuf=percpu");
        assertEquals(List.of(percpu), Variant.pairwise(List.of(percpu)));
        assertEquals(List.of(Variant.BASELINE, percpu), Variant.pairwise(List.of(Variant.BASELINE, percpu)));
        assertEquals(List.of(), Variant.pairwise(List.of()));
    }

    @Test
    void onlyNonDefaultValuesBecomeCompilerFlags() {
        assertEquals(List.of(), Variant.BASELINE.compilerFlags());
        assertEquals(List.of("-DGAMER_RINGBUF_SHARDED", "-DGAMER_PREFETCH_ON", "-DGAMER_BATCH_16", "-DGAMER_TASKCTX_SPLIT"),
                Variant.parse("prefetch=on,taskctx=split,ringbuf=sharded,batch=16").compilerFlags());
        assertNotEquals(Variant.BASELINE, Variant.BASELINE.with(Axis.PREFETCH, "on"));
    }

    @Test
    void kernelDefaultIsAVariantWithNoScheduler() {
        assertSame(Variant.KERNEL_DEFAULT, Variant.parse("kernel-default"));
        assertEquals("kernel-default", Variant.KERNEL_DEFAULT.label());
        assertTrue(Variant.KERNEL_DEFAULT.isKernelDefault());
        assertTrue(Variant.matrix().stream().noneMatch(Variant::isKernelDefault), "nothing to build, so not in the matrix");
        assertNotEquals(Variant.BASELINE, Variant.KERNEL_DEFAULT);
        for (Runnable buildFact : List.<Runnable>of(Variant.KERNEL_DEFAULT::compilerFlags, () -> Variant.KERNEL_DEFAULT.get(Axis.BATCH),
                () -> Variant.KERNEL_DEFAULT.with(Axis.PIPELINE, "on"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, buildFact::run);
            assertTrue(e.getMessage().contains("kernel-default is the kernel's own scheduler"), e.getMessage());
        }
    }

    @Test
    void aWordThatIsNeitherAxisValueNorANamedVariantListsTheForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("kernel"));
        assertTrue(e.getMessage().contains("axis=value,... or baseline or kernel-default"), e.getMessage());
    }
}
