package io.gamerlab.sched;

import java.time.Duration;

/**
 * A tunable given a new value while the scheduler ran ({@link Scheduler#retune}).
 *
 * @param afterLoad how long after the scheduler was loaded
 * @param from      the value before, as written into its BPF global
 * @param to        the value after
 */
public record TunableChange(Duration afterLoad, Tunable tunable, long from, long to) {

    /** E.g. "at 5.000 s after load: 2000000 -> 5000000 ns". */
    public String describe() {
        return String.format("at %.3f s after load: %s -> %s%s", afterLoad.toNanos() / 1e9, tunable.format(from),
                tunable.format(to), tunable.unit() == Tunable.Unit.NANOS ? " ns" : "");
    }
}
