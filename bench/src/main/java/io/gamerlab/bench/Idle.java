package io.gamerlab.bench;

/**
 * How a thread with nothing to do waits: spin briefly ({@link Thread#onSpinWait()}), then yield.
 * With 2 cores and 3 busy threads a pure busy-spin would hold a core that the thread it is waiting
 * for needs; yielding after a short spin lets that thread run (the Disruptor's YieldingWaitStrategy).
 */
final class Idle {

    static final int SPINS = 100;

    private Idle() { }

    /** Waits a little; {@code idleRounds} is how many times in a row there was nothing to do. */
    static int pause(int idleRounds) {
        if (idleRounds < SPINS) Thread.onSpinWait();
        else Thread.yield();
        return idleRounds + 1;
    }
}
