package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TunablesTest {

    @Test
    void theDefaultsAreScxGamerLikeAndValid() {
        Tunables t = Tunables.defaults();
        assertEquals(Duration.ofMillis(5), t.inputWindow());
        assertEquals(Duration.ofMillis(500), t.starvation());
        assertTrue(t.avoidSmt());
    }

    @Test
    void aSliceMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tunables.defaults().withSlice(Duration.ZERO));
        assertTrue(e.getMessage().contains("slice"), e.getMessage());
    }

    @Test
    void negativeWindowsAndLimitsAreRejectedNamingTheOption() {
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> Tunables.defaults().withInputWindow(Duration.ofMillis(-1)));
        assertTrue(window.getMessage().contains("input window"), window.getMessage());
        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class,
                () -> Tunables.defaults().withMigrationLimit(-1));
        assertTrue(limit.getMessage().contains("migration limit"), limit.getMessage());
    }

    @Test
    void withersChangeOnlyTheirOption() {
        Tunables t = Tunables.defaults().withAvoidSmt(false).withMigrationLimit(9);
        assertFalse(t.avoidSmt());
        assertEquals(9, t.migrationLimit());
        assertEquals(Tunables.defaults().slice(), t.slice());
    }

    @Test
    void theOptionsRoundTripThroughTheirPropertiesForm() {
        Tunables t = Tunables.defaults().withSlice(Duration.ofMillis(20)).withAvoidSmt(false).withMigrationLimit(2);
        assertEquals(t, Tunables.fromProperties(t.asProperties()));
        assertEquals("20000000", t.asProperties().get("slice_ns"));
        assertEquals(Tunables.defaults(), Tunables.fromProperties(java.util.Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Tunables.fromProperties(java.util.Map.of("slice_ns", "fast")));
    }
}
