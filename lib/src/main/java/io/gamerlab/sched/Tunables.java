package io.gamerlab.sched;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduler's runtime options, the ones scx_gamer users set on its command line. They are
 * written into the scheduler's read-only data before load, so the verifier sees them as constants;
 * each name in {@link #asProperties()} is a {@code const volatile} global in bpf/gamer.bpf.c, and
 * that list is the only place the names appear.
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
        if (!slice.isPositive()) throw new IllegalArgumentException("slice must be > 0, was " + slice);
        if (vtimeLag.isNegative()) throw new IllegalArgumentException("vtime lag must be >= 0, was " + vtimeLag);
        if (!starvation.isPositive()) throw new IllegalArgumentException("starvation bound must be > 0, was " + starvation);
        if (mouseBoost.isNegative()) throw new IllegalArgumentException("mouse boost must be >= 0, was " + mouseBoost);
        if (keyboardBoost.isNegative()) throw new IllegalArgumentException("keyboard boost must be >= 0, was " + keyboardBoost);
        if (inputWindow.isNegative()) throw new IllegalArgumentException("input window must be >= 0, was " + inputWindow);
        if (!migrationWindow.isPositive())
            throw new IllegalArgumentException("migration window must be > 0, was " + migrationWindow);
        if (migrationLimit < 0) throw new IllegalArgumentException("migration limit must be >= 0, was " + migrationLimit);
        if (gamePid < 0) throw new IllegalArgumentException("game pid must be >= 0 (0: detect the game), was " + gamePid);
        if (!foregroundWindow.isPositive())
            throw new IllegalArgumentException("foreground window must be > 0, was " + foregroundWindow);
    }

    /** The options by their BPF names, as text: what load writes, and what run specs and dataset rows hold. */
    public Map<String, String> asProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("slice_ns", Long.toString(slice.toNanos()));
        p.put("vtime_lag_ns", Long.toString(vtimeLag.toNanos()));
        p.put("starvation_ns", Long.toString(starvation.toNanos()));
        p.put("mouse_boost_ns", Long.toString(mouseBoost.toNanos()));
        p.put("keyboard_boost_ns", Long.toString(keyboardBoost.toNanos()));
        p.put("input_window_ns", Long.toString(inputWindow.toNanos()));
        p.put("migration_window_ns", Long.toString(migrationWindow.toNanos()));
        p.put("migration_limit", Integer.toString(migrationLimit));
        p.put("avoid_smt", Boolean.toString(avoidSmt));
        p.put("game_pid", Integer.toString(gamePid));
        p.put("foreground_window_ns", Long.toString(foregroundWindow.toNanos()));
        return p;
    }

    /** The options as the unsigned integers written into the BPF globals (a boolean is 0 or 1). */
    public Map<String, Long> asBpfValues() {
        Map<String, Long> values = new LinkedHashMap<>();
        asProperties().forEach((name, text) -> values.put(name, switch (text) {
            case "true" -> 1L;
            case "false" -> 0L;
            default -> Long.parseLong(text);
        }));
        return values;
    }

    /** Reads {@link #asProperties()}'s form back; a missing option takes its default, an unknown one is an error. */
    public static Tunables fromProperties(Map<String, String> p) {
        Tunables d = defaults();
        var known = d.asProperties().keySet();
        for (String key : p.keySet())
            if (!known.contains(key)) throw new IllegalArgumentException("unknown tunable " + key + "; the tunables are " + known);
        try {
            return new Tunables(nanos(p, "slice_ns", d.slice), nanos(p, "vtime_lag_ns", d.vtimeLag),
                    nanos(p, "starvation_ns", d.starvation), nanos(p, "mouse_boost_ns", d.mouseBoost),
                    nanos(p, "keyboard_boost_ns", d.keyboardBoost), nanos(p, "input_window_ns", d.inputWindow),
                    nanos(p, "migration_window_ns", d.migrationWindow),
                    Integer.parseInt(p.getOrDefault("migration_limit", Integer.toString(d.migrationLimit))),
                    Boolean.parseBoolean(p.getOrDefault("avoid_smt", Boolean.toString(d.avoidSmt))),
                    Integer.parseInt(p.getOrDefault("game_pid", Integer.toString(d.gamePid))),
                    nanos(p, "foreground_window_ns", d.foregroundWindow));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a tunable is not a number: " + p, e);
        }
    }

    private static Duration nanos(Map<String, String> p, String key, Duration fallback) {
        return p.containsKey(key) ? Duration.ofNanos(Long.parseLong(p.get(key))) : fallback;
    }

    public Tunables withSlice(Duration value) {
        return new Tunables(value, vtimeLag, starvation, mouseBoost, keyboardBoost, inputWindow, migrationWindow,
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
