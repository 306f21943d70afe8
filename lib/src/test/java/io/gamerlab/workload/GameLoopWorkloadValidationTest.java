package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GameLoopWorkloadValidationTest {

    private static final Duration INPUT = Duration.ofMillis(1);
    private static final Duration FRAME = Duration.ofMillis(16);

    @Test
    void frameWorkAsLongAsOrLongerThanTheFramePeriodIsRejected() {
        IllegalArgumentException equal = assertThrows(IllegalArgumentException.class,
                () -> new GameLoopWorkload(0, INPUT, FRAME, FRAME));
        assertTrue(equal.getMessage().contains("frame period"), equal.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GameLoopWorkload(0, INPUT, FRAME, FRAME.plusNanos(1)));
    }

    @Test
    void negativeHogsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GameLoopWorkload(-1, INPUT, FRAME, Duration.ofMillis(4)));
        assertTrue(e.getMessage().contains("hogs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GameLoopWorkload.standard().withHogs(-1));
    }

    @Test
    void theNameCarriesTheHogCount() {
        assertEquals("gameloop-h0", GameLoopWorkload.standard().withHogs(0).name());
        assertEquals("gameloop-h" + Runtime.getRuntime().availableProcessors(), GameLoopWorkload.standard().name());
    }
}
