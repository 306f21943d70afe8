package io.gamerlab.sched;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's options, the ones scx_gamer users set on its command line, one value per
 * {@link Tunable} (which says each one's name in bpf/gamer.bpf.c, range, and whether a running
 * scheduler takes a new value). Every value is checked against its range, and the relation between
 * them too: the slice must be shorter than the starvation bound. Every error names the tunable, its
 * value and what is allowed.
 *
 * @param slice             how long a task runs before others get a turn ({@code slice_ns})
 * @param vtimeLag          how much virtual-time credit a sleeping task may bank ({@code vtime_lag_ns})
 * @param starvation        the most a deadline may lie ahead of now ({@code starvation_ns})
 * @param mouseBoost        how long input handlers may preempt after a mouse event ({@code mouse_boost_ns})
 * @param keyboardBoost     ... after a keyboard key event ({@code keyboard_boost_ns})
 * @param inputWindow       ... after any other input event, e.g. a gamepad's ({@code input_window_ns})
 * @param migrationWindow   the window over which migrations are counted ({@code migration_window_ns})
 * @param migrationLimit    migrations a task may make per window ({@code migration_limit})
 * @param avoidSmt          prefer CPUs whose whole core is idle ({@code avoid_smt})
 * @param gamePid           the foreground game's process id, or 0 to detect it from kernel events ({@code game_pid})
 * @param foregroundWindow  how long detection compares processes before the game may change ({@code foreground_window_ns})
 */
public record Tunables(Duration slice, Duration vtimeLag, Duration starvation, Duration mouseBoost, Duration keyboardBoost,
                       Duration inputWindow, Duration migrationWindow, int migrationLimit, boolean avoidSmt, int gamePid,
                       Duration foregroundWindow) {

    public static Tunables defaults() {
        return new Tunables(Duration.ofMillis(2), Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofMillis(8),
                Duration.ofMillis(20), Duration.ofMillis(5), Duration.ofMillis(50), 4, true, 0, Duration.ofSeconds(1));
    }

    public Tunables {
        check(numbers(slice, vtimeLag, starvation, mouseBoost, keyboardBoost, inputWindow, migrationWindow, migrationLimit,
                avoidSmt, gamePid, foregroundWindow));
    }

    /** Each value against its range, then the relations between values. */
    private static void check(Map<Tunable, Long> values) {
        values.forEach(Tunable::check);
        long slice = values.get(Tunable.SLICE);
        long starvation = values.get(Tunable.STARVATION);
        if (slice >= starvation)
            throw new IllegalArgumentException(Tunable.SLICE.describe(slice) + " must be shorter than "
                    + Tunable.STARVATION.describe(starvation) + ": the starvation bound caps how far ahead a deadline may"
                    + " lie, and must leave room for more than one slice");
    }

    /** The one place that maps the components to their tunables: a duration in ns, a boolean as 0 or 1. */
    private static Map<Tunable, Long> numbers(Duration slice, Duration vtimeLag, Duration starvation, Duration mouseBoost,
                                              Duration keyboardBoost, Duration inputWindow, Duration migrationWindow,
                                              int migrationLimit, boolean avoidSmt, int gamePid, Duration foregroundWindow) {
        Map<Tunable, Long> v = new EnumMap<>(Tunable.class);
        v.put(Tunable.SLICE, nanos(slice));
        v.put(Tunable.VTIME_LAG, nanos(vtimeLag));
        v.put(Tunable.STARVATION, nanos(starvation));
        v.put(Tunable.MOUSE_BOOST, nanos(mouseBoost));
        v.put(Tunable.KEYBOARD_BOOST, nanos(keyboardBoost));
        v.put(Tunable.INPUT_WINDOW, nanos(inputWindow));
        v.put(Tunable.MIGRATION_WINDOW, nanos(migrationWindow));
        v.put(Tunable.MIGRATION_LIMIT, (long) migrationLimit);
        v.put(Tunable.AVOID_SMT, avoidSmt ? 1L : 0L);
        v.put(Tunable.GAME_PID, (long) gamePid);
        v.put(Tunable.FOREGROUND_WINDOW, nanos(foregroundWindow));
        return v;
    }

    /** A duration too long for a long of nanoseconds still fails its range check, naming the tunable. */
    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Each tunable's value as the unsigned integer written into its BPF global (a boolean is 0 or 1). */
    public Map<Tunable, Long> values() {
        return numbers(slice, vtimeLag, starvation, mouseBoost, keyboardBoost, inputWindow, migrationWindow, migrationLimit,
                avoidSmt, gamePid, foregroundWindow);
    }

    /** Tunables from one value per tunable (a value missing takes its default); checked like any other. */
    public static Tunables of(Map<Tunable, Long> given) {
        Map<Tunable, Long> v = new EnumMap<>(defaults().values());
        v.putAll(given);
        check(v);
        return new Tunables(Duration.ofNanos(v.get(Tunable.SLICE)), Duration.ofNanos(v.get(Tunable.VTIME_LAG)),
                Duration.ofNanos(v.get(Tunable.STARVATION)), Duration.ofNanos(v.get(Tunable.MOUSE_BOOST)),
                Duration.ofNanos(v.get(Tunable.KEYBOARD_BOOST)), Duration.ofNanos(v.get(Tunable.INPUT_WINDOW)),
                Duration.ofNanos(v.get(Tunable.MIGRATION_WINDOW)), Math.toIntExact(v.get(Tunable.MIGRATION_LIMIT)),
                v.get(Tunable.AVOID_SMT) != 0, Math.toIntExact(v.get(Tunable.GAME_PID)),
                Duration.ofNanos(v.get(Tunable.FOREGROUND_WINDOW)));
    }

    /** The options by their BPF names, as text: what run specs and dataset rows hold. */
    public Map<String, String> asProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        values().forEach((t, v) -> p.put(t.bpfName(), t.format(v)));
        return p;
    }

    /**
     * Reads {@link #asProperties()}'s form back: a boolean is exactly true or false, a number a
     * whole number in range; a missing option takes its default, an unknown one is an error.
     */
    public static Tunables fromProperties(Map<String, String> p) {
        Map<Tunable, Long> v = new EnumMap<>(Tunable.class);
        p.forEach((name, text) -> {
            Tunable t = Tunable.byName(name);
            v.put(t, t.parse(text));
        });
        return of(v);
    }

    /** The tunables whose values differ between this and {@code other}, in declaration order. */
    public List<Tunable> differences(Tunables other) {
        Map<Tunable, Long> mine = values();
        Map<Tunable, Long> theirs = other.values();
        return mine.keySet().stream().filter(t -> !mine.get(t).equals(theirs.get(t))).toList();
    }

    public Tunables withSlice(Duration value) {
        return new Tunables(value, vtimeLag, starvation, mouseBoost, keyboardBoost, inputWindow, migrationWindow,
                migrationLimit, avoidSmt, gamePid, foregroundWindow);
    }

    public Tunables withStarvation(Duration value) {
        return new Tunables(slice, vtimeLag, value, mouseBoost, keyboardBoost, inputWindow, migrationWindow,
                migrationLimit, avoidSmt, gamePid, foregroundWindow);
    }

    /** One window length for every kind of input device. */
    public Tunables withInputBoost(Duration mouse, Duration keyboard, Duration other) {
        return new Tunables(slice, vtimeLag, starvation, mouse, keyboard, other, migrationWindow,
                migrationLimit, avoidSmt, gamePid, foregroundWindow);
    }

    public Tunables withMigrationLimit(int value) {
        return new Tunables(slice, vtimeLag, starvation, mouseBoost, keyboardBoost, inputWindow, migrationWindow,
                value, avoidSmt, gamePid, foregroundWindow);
    }

    public Tunables withAvoidSmt(boolean value) {
        return new Tunables(slice, vtimeLag, starvation, mouseBoost, keyboardBoost, inputWindow, migrationWindow,
                migrationLimit, value, gamePid, foregroundWindow);
    }

    public Tunables withGamePid(int value) {
        return new Tunables(slice, vtimeLag, starvation, mouseBoost, keyboardBoost, inputWindow, migrationWindow,
                migrationLimit, avoidSmt, value, foregroundWindow);
    }
}
