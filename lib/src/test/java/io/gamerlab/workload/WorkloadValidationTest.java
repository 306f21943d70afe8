package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Each workload's bad parameters are rejected while the text is read, before anything runs,
 * naming the workload, the parameter, its value and what is allowed.
 */
class WorkloadValidationTest {

    private static void rejected(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.parse(text), text);
        assertTrue(e.getMessage().contains(expected), "'" + text + "': " + e.getMessage());
    }

    @Test
    void gameLoop() {
        rejected("gameloop:hogs=257", "gameloop: hogs=257 is out of range; allowed: 0..256 or cpus");
        rejected("gameloop:input_period=50us", "gameloop: input_period=50us is out of range; allowed: 100us..1s");
        rejected("gameloop:frame_period=2s", "gameloop: frame_period=2s is out of range; allowed: 1ms..1s");
        rejected("gameloop:frame_work=20ms", "gameloop: frame_work=20ms must be shorter than frame_period=16.666667ms");
        rejected("gameloop:frame_period=4ms", "gameloop: frame_work=4ms must be shorter than frame_period=4ms");
    }

    @Test
    void framePipeline() {
        rejected("pipeline:period=500us", "pipeline: period=500us is out of range; allowed: 1ms..1s");
        rejected("pipeline:stages=1", "pipeline: stages=1 is out of range; allowed: 2..8");
        rejected("pipeline:stages=9", "pipeline: stages=9 is out of range; allowed: 2..8");
        rejected("pipeline:work=1.5s", "pipeline: work=1.5s is out of range; allowed: 0s..1s");
        rejected("pipeline:hogs=1000", "pipeline: hogs=1000 is out of range; allowed: 0..256 or cpus");
        rejected("pipeline:stages=4,work=5ms", "pipeline: stages x work = 4 x 5ms must be shorter than period=16.6ms");
    }

    @Test
    void wakeStorm() {
        rejected("wakestorm:groups=0", "wakestorm: groups=0 is out of range; allowed: 1..64");
        rejected("wakestorm:fds=65", "wakestorm: fds=65 is out of range; allowed: 1..64");
        rejected("wakestorm:message=4B", "wakestorm: message=4B is out of range; allowed: 8B..4KiB");
        rejected("wakestorm:message=8KiB", "wakestorm: message=8KiB is out of range; allowed: 8B..4KiB");
    }

    @Test
    void coldCache() {
        rejected("coldcache:period=50us", "coldcache: period=50us is out of range; allowed: 100us..1s");
        rejected("coldcache:working_set=1KiB", "coldcache: working_set=1KiB is out of range; allowed: 64KiB..256MiB");
        rejected("coldcache:window=0s", "coldcache: window=0s is out of range; allowed: 1ms..60s");
        rejected("coldcache:flush_every=2h", "coldcache: flush_every='2h' is not a duration");
        rejected("coldcache:flush_every=7200s", "coldcache: flush_every=7200s is out of range; allowed: 0s..3600s");
        rejected("coldcache:llc_multiple=1", "coldcache: llc_multiple=1 is out of range; allowed: 2..64");
        rejected("coldcache:window=1s,flush_every=500ms",
                "coldcache: flush_every=500ms must be 0s (no flushes) or longer than window=1s");
    }

    @Test
    void cachePressure() {
        rejected("pressure:threads=0", "pressure: threads=0 is out of range; allowed: 1..64 or cpus");
        rejected("pressure:llc_multiple=65", "pressure: llc_multiple=65 is out of range; allowed: 2..64");
    }

    @Test
    void highRateInput() {
        rejected("input:motion_rate=0", "input: motion_rate=0 is out of range; allowed: 1..1000000");
        rejected("input:events_per_report=65", "input: events_per_report=65 is out of range; allowed: 1..64");
        rejected("input:key_rate=101", "input: key_rate=101 is out of range; allowed: 0..100");
        rejected("input:tablet_rate=100001", "input: tablet_rate=100001 is out of range; allowed: 0..100000");
        rejected("input:in_flight=0", "input: in_flight=0 is out of range; allowed: 1..1024");
        rejected("input:motion_rate=5,events_per_report=10", "input: events_per_report=10 must be at most motion_rate=5");
    }
}
