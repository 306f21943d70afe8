package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VariantTest {

    @Test
    void baselineParsesToTheBaselineVariantAndBack() {
        assertSame(Variant.BASELINE, Variant.parse("baseline"));
        assertEquals("baseline", Variant.parse(Variant.BASELINE.label()).label());
    }

    @Test
    void anUnknownVariantIsRejectedListingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("turbo"));
        assertTrue(e.getMessage().contains("'turbo'"), e.getMessage());
        assertTrue(e.getMessage().contains("valid: baseline"), e.getMessage());
    }

    @Test
    void parsingIsExactNotCaseInsensitive() {
        assertThrows(IllegalArgumentException.class, () -> Variant.parse("Baseline"));
        assertThrows(IllegalArgumentException.class, () -> Variant.parse(" baseline"));
    }

    @Test
    void theBaselineIsBuiltAsGamerBpfO() {
        assertEquals("gamer.bpf.o", Variant.BASELINE.objectName());
    }
}
