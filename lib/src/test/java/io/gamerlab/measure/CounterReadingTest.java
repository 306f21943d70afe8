package io.gamerlab.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CounterReadingTest {

    @Test
    void aMultiplexedCountIsExtrapolatedToTheEnabledTime() {
        CounterReading reading = CounterReading.counted(PerfEvent.CYCLES, 1_000, 400, 100);
        assertTrue(reading.multiplexed());
        assertEquals(4_000.0, reading.scaledValue());
    }

    @Test
    void aCounterThatRanThroughoutNeedsNoScaling() {
        CounterReading reading = CounterReading.counted(PerfEvent.TASK_CLOCK, 1_234, 500, 500);
        assertFalse(reading.multiplexed());
        assertEquals(1_234.0, reading.scaledValue());
    }

    @Test
    void nothingIsExtrapolatedFromACounterThatNeverRanOrIsUnsupported() {
        assertTrue(Double.isNaN(CounterReading.counted(PerfEvent.CYCLES, 0, 500, 0).scaledValue()));
        CounterReading unsupported = CounterReading.unsupported(PerfEvent.CYCLES, "ENOENT (No such file or directory): no PMU");
        assertFalse(unsupported.supported());
        assertTrue(Double.isNaN(unsupported.scaledValue()));
    }

    @Test
    void aReadingHasAValueOrAReasonButNotBoth() {
        assertThrows(IllegalArgumentException.class,
                () -> new CounterReading(PerfEvent.CYCLES, OptionalLong.of(0), "refused", 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new CounterReading(PerfEvent.CYCLES, OptionalLong.empty(), null, 0, 0));
    }
}
