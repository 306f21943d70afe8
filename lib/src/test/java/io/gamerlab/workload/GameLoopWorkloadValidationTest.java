package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The game loop's text form; its bad values are in WorkloadValidationTest. */
class GameLoopWorkloadValidationTest {

    @Test
    void theNameCarriesTheHogCountResolvedWhereItRuns() {
        assertEquals("gameloop-h0", new GameLoopWorkload(GameLoopWorkload.KIND.defaults().with(GameLoopWorkload.HOGS, 0), null).name());
        assertEquals("gameloop-h" + Runtime.getRuntime().availableProcessors(), new GameLoopWorkload(GameLoopWorkload.KIND.defaults(), null).name());
        assertEquals("gameloop-h3-forks", new GameLoopWorkload(WorkloadSpec.parse("gameloop:hogs=3,fork_stress=on").parts().getFirst(), null).name());
    }

    @Test
    void theDefaultsAreTheStandardGameLoop() {
        Settings s = GameLoopWorkload.KIND.defaults();
        assertEquals(Parameter.PER_CPU, s.get(GameLoopWorkload.HOGS));
        assertEquals(16_666_667, s.get(GameLoopWorkload.FRAME_PERIOD).toNanos());
        assertEquals(4, s.get(GameLoopWorkload.FRAME_WORK).toMillis());
        assertEquals(1, s.get(GameLoopWorkload.INPUT_PERIOD).toMillis());
        assertEquals(false, s.get(GameLoopWorkload.FORK_STRESS));
    }
}
