package io.gamerlab.workload;

import java.time.Duration;

/**
 * A fixed amount of CPU work, so a frame or a stage costs the same whatever the scheduler does.
 * Its speed is measured once per JVM, on first use: every run of one process (several runs of one
 * guest boot, kernel-default and a variant) then does the same work for the same duration.
 */
final class Spin {

    private static volatile long sink;
    private static double unitsPerNano;  // guarded by Spin.class; 0 until calibrated

    private Spin() { }

    static void run(long units) {
        long x = sink;
        for (long i = 0; i < units; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        sink = x;
    }

    /** How many units take {@code target} on this machine. */
    static long unitsFor(Duration target) {
        return target.isZero() ? 0 : Math.max(1, Math.round(calibrate() * target.toNanos()));
    }

    /**
     * Measures the speed if not done yet; call it before any competing thread starts (a workload
     * does, before its threads; a composite, before any part's).
     */
    static synchronized double calibrate() {
        if (unitsPerNano > 0) return unitsPerNano;
        long units = 10_000;
        while (true) {
            long start = System.nanoTime();
            run(units);
            long took = System.nanoTime() - start;
            if (took >= 20_000_000L) {
                unitsPerNano = (double) units / took;
                return unitsPerNano;
            }
            units *= 2;
        }
    }
}
