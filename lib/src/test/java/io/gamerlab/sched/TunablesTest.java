package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TunablesTest {

    @Test
    void aZeroOrNegativeSliceIsRejected() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new Tunables(Duration.ZERO, Duration.ofMillis(20)));
        assertTrue(zero.getMessage().contains("slice"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tunables(Duration.ofNanos(-1), Duration.ofMillis(20)));
    }

    @Test
    void aNegativeVtimeLagIsRejectedButZeroIsAllowed() {
        assertThrows(IllegalArgumentException.class, () -> new Tunables(Duration.ofMillis(2), Duration.ofMillis(-1)));
        assertDoesNotThrow(() -> new Tunables(Duration.ofMillis(2), Duration.ZERO));
    }

    @Test
    void theDefaultsAreATwoMillisecondSliceAndTwentyMillisecondLag() {
        assertEquals(new Tunables(Duration.ofMillis(2), Duration.ofMillis(20)), Tunables.defaults());
    }
}
