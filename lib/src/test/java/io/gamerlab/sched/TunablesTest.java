package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
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
        assertTrue(window.getMessage().contains("keyboard_boost_ns (keyboard boost) = -1000000 ns"), window.getMessage());
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
        var values = Tunables.defaults().withAvoidSmt(false).withGamePid(4242).values();
        assertEquals(0L, values.get(Tunable.AVOID_SMT));
        assertEquals(4242L, values.get(Tunable.GAME_PID));
        assertEquals(8_000_000L, values.get(Tunable.MOUSE_BOOST));
        assertEquals(Tunables.defaults().asProperties().keySet(),
                values.keySet().stream().map(Tunable::bpfName).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aBooleanIsExactlyTrueOrFalse() {
        assertFalse(Tunables.fromProperties(Map.of("avoid_smt", "false")).avoidSmt());
        for (String loose : new String[] {"1", "yes", "TRUE", "", "on"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Tunables.fromProperties(Map.of("avoid_smt", loose)), loose);
            assertTrue(e.getMessage().contains("avoid_smt") && e.getMessage().contains("'" + loose + "'")
                    && e.getMessage().contains("true or false"), e.getMessage());
        }
    }

    @Test
    void everyNumberHasAnUpperBoundAndTheErrorNamesTunableValueAndRange() {
        IllegalArgumentException slice = assertThrows(IllegalArgumentException.class,
                () -> Tunables.fromProperties(Map.of("slice_ns", "200000000", "starvation_ns", "900000000")));
        assertEquals("tunable slice_ns (slice) = 200000000 ns is out of range: allowed 10000 to 100000000 ns (10 us to 100 ms)",
                slice.getMessage());
        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class,
                () -> Tunables.defaults().withMigrationLimit(2_000_000));
        assertTrue(limit.getMessage().contains("migration_limit") && limit.getMessage().contains("2000000")
                && limit.getMessage().contains("0 to 1000000"), limit.getMessage());
        IllegalArgumentException pid = assertThrows(IllegalArgumentException.class, () -> Tunables.defaults().withGamePid(1 << 30));
        assertTrue(pid.getMessage().contains("game_pid") && pid.getMessage().contains("4194304"), pid.getMessage());
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> Tunables.defaults().withInputBoost(Duration.ofMillis(8), Duration.ofDays(365 * 1000L), Duration.ofMillis(5)));
        assertTrue(huge.getMessage().contains("keyboard_boost_ns"), huge.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> Tunables.fromProperties(Map.of("migration_limit", "4.5")));
        assertTrue(text.getMessage().contains("migration_limit") && text.getMessage().contains("'4.5'")
                && text.getMessage().contains("not a whole number"), text.getMessage());
    }

    @Test
    void theSliceMustBeShorterThanTheStarvationBound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tunables.defaults().withStarvation(Duration.ofMillis(2)));
        assertTrue(e.getMessage().startsWith("tunable slice_ns (slice) = 2000000 ns must be shorter than tunable starvation_ns"),
                e.getMessage());
        assertEquals(Duration.ofMillis(3), Tunables.defaults().withStarvation(Duration.ofMillis(3)).starvation());
    }

    @Test
    void onlyTheOptionsTheVerifierNeedsAsConstantsAreFixedAtLoad() {
        assertEquals(java.util.List.of(Tunable.AVOID_SMT, Tunable.GAME_PID),
                java.util.Arrays.stream(Tunable.values()).filter(t -> !t.runtime()).toList());
        assertEquals(java.util.List.of(Tunable.SLICE, Tunable.MIGRATION_LIMIT),
                Tunables.defaults().differences(Tunables.defaults().withSlice(Duration.ofMillis(3)).withMigrationLimit(1)));
    }
}
