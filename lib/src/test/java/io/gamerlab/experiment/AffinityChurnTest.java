package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The churn's threads run on this machine too: sleepers wake, the mover moves them, and close stops both. */
class AffinityChurnTest {

    @Test
    void sleepersWakeAndAreMovedUntilClosed() throws InterruptedException {
        AffinityChurn churn = AffinityChurn.start();
        Thread.sleep(200);
        churn.close();
        long wakeups = churn.wakeups();
        long moves = churn.moves();
        assertTrue(wakeups > 0 && moves >= Runtime.getRuntime().availableProcessors(), wakeups + " wake-ups, " + moves + " moves");
        Thread.sleep(20);
        assertTrue(churn.wakeups() == wakeups && churn.moves() == moves, "the churn went on after close");
    }
}
