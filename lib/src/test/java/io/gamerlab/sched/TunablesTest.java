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
        assertEquals(Duration.ofMillis(8), t.mouseBoost());
        assertEquals(Duration.ofMillis(20), t.keyboardBoost());
        assertEquals(0, t.gamePid(), "the game is detected unless fixed");
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
                () -> Tunables.defaults().withInputBoost(Duration.ofMillis(8), Duration.ofMillis(-1), Duration.ofMillis(5)));
        assertTrue(window.getMessage().contains("keyboard boost"), window.getMessage());
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
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> Tunables.fromProperties(java.util.Map.of("mouse_boost", "1")));
        assertTrue(typo.getMessage().contains("unknown tunable mouse_boost") && typo.getMessage().contains("mouse_boost_ns"),
                typo.getMessage());
    }

    @Test
    void theBpfValuesAreTheNumbersWrittenIntoTheGlobals() {
        var values = Tunables.defaults().withAvoidSmt(false).withGamePid(4242).asBpfValues();
        assertEquals(0L, values.get("avoid_smt"));
        assertEquals(4242L, values.get("game_pid"));
        assertEquals(8_000_000L, values.get("mouse_boost_ns"));
        assertEquals(Tunables.defaults().asProperties().keySet(), values.keySet());
    }
}
