package io.gamerlab.sched;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduler's runtime options, the ones scx_gamer users set on its command line. They are
 * written into the scheduler's read-only data before load, so the verifier sees them as constants;
 * each name matches a {@code const volatile} global in bpf/gamer.bpf.c.
 *
 * @param slice             how long a task runs before others get a turn ({@code slice_ns})
 * @param vtimeLag          how much virtual-time credit a sleeping task may bank ({@code vtime_lag_ns})
 * @param starvation        the most a deadline may lie ahead of now ({@code starvation_ns})
 * @param inputWindow       how long after an input event input handlers may preempt ({@code input_window_ns})
 * @param migrationWindow   the window over which migrations are counted ({@code migration_window_ns})
 * @param migrationLimit    migrations a task may make per window ({@code migration_limit})
 * @param avoidSmt          prefer CPUs whose whole core is idle ({@code avoid_smt})
 */
public record Tunables(Duration slice, Duration vtimeLag, Duration starvation, Duration inputWindow,
                       Duration migrationWindow, int migrationLimit, boolean avoidSmt) {

    public static Tunables defaults() {
        return new Tunables(Duration.ofMillis(2), Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofMillis(5),
                Duration.ofMillis(50), 4, true);
    }

    public Tunables {
        if (!slice.isPositive()) throw new IllegalArgumentException("slice must be > 0, was " + slice);
        if (vtimeLag.isNegative()) throw new IllegalArgumentException("vtime lag must be >= 0, was " + vtimeLag);
        if (!starvation.isPositive()) throw new IllegalArgumentException("starvation bound must be > 0, was " + starvation);
        if (inputWindow.isNegative()) throw new IllegalArgumentException("input window must be >= 0, was " + inputWindow);
        if (!migrationWindow.isPositive())
            throw new IllegalArgumentException("migration window must be > 0, was " + migrationWindow);
        if (migrationLimit < 0) throw new IllegalArgumentException("migration limit must be >= 0, was " + migrationLimit);
    }

    /** The options by their BPF names, as text: for run specs and dataset rows. */
    public Map<String, String> asProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("slice_ns", Long.toString(slice.toNanos()));
        p.put("vtime_lag_ns", Long.toString(vtimeLag.toNanos()));
        p.put("starvation_ns", Long.toString(starvation.toNanos()));
        p.put("input_window_ns", Long.toString(inputWindow.toNanos()));
        p.put("migration_window_ns", Long.toString(migrationWindow.toNanos()));
        p.put("migration_limit", Integer.toString(migrationLimit));
        p.put("avoid_smt", Boolean.toString(avoidSmt));
        return p;
    }

    /** Reads {@link #asProperties()}'s form back; a missing option takes its default. */
    public static Tunables fromProperties(Map<String, String> p) {
        Tunables d = defaults();
        try {
            return new Tunables(nanos(p, "slice_ns", d.slice), nanos(p, "vtime_lag_ns", d.vtimeLag),
                    nanos(p, "starvation_ns", d.starvation), nanos(p, "input_window_ns", d.inputWindow),
                    nanos(p, "migration_window_ns", d.migrationWindow),
                    Integer.parseInt(p.getOrDefault("migration_limit", Integer.toString(d.migrationLimit))),
                    Boolean.parseBoolean(p.getOrDefault("avoid_smt", Boolean.toString(d.avoidSmt))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a tunable is not a number: " + p, e);
        }
    }

    private static Duration nanos(Map<String, String> p, String key, Duration fallback) {
        return p.containsKey(key) ? Duration.ofNanos(Long.parseLong(p.get(key))) : fallback;
    }

    public Tunables withSlice(Duration value) {
        return new Tunables(value, vtimeLag, starvation, inputWindow, migrationWindow, migrationLimit, avoidSmt);
    }

    public Tunables withInputWindow(Duration value) {
        return new Tunables(slice, vtimeLag, starvation, value, migrationWindow, migrationLimit, avoidSmt);
    }

    public Tunables withMigrationLimit(int value) {
        return new Tunables(slice, vtimeLag, starvation, inputWindow, migrationWindow, value, avoidSmt);
    }

    public Tunables withAvoidSmt(boolean value) {
        return new Tunables(slice, vtimeLag, starvation, inputWindow, migrationWindow, migrationLimit, value);
    }
}
