package io.gamerlab.sched;

import java.util.List;

/**
 * One of the scheduler's options: its global's name in bpf/gamer.bpf.c, what it means, the values
 * it may take, and whether a running scheduler takes a new value. Run-time options are plain
 * globals in the scheduler's .data, which user space writes while it runs; the others are
 * {@code const volatile} in .rodata, fixed at load, where the verifier sees them as constants.
 */
public enum Tunable {
    SLICE("slice_ns", "slice", Unit.NANOS, 10_000L, 100_000_000L, true),
    VTIME_LAG("vtime_lag_ns", "vtime lag", Unit.NANOS, 0, 10_000_000_000L, true),
    /** At most 5 s: well inside the kernel watchdog's bound (timeout_ms in bpf/gamer.bpf.c). */
    STARVATION("starvation_ns", "starvation bound", Unit.NANOS, 1_000_000L, 5_000_000_000L, true),
    MOUSE_BOOST("mouse_boost_ns", "mouse boost", Unit.NANOS, 0, 1_000_000_000L, true),
    KEYBOARD_BOOST("keyboard_boost_ns", "keyboard boost", Unit.NANOS, 0, 1_000_000_000L, true),
    INPUT_WINDOW("input_window_ns", "input window", Unit.NANOS, 0, 1_000_000_000L, true),
    MIGRATION_WINDOW("migration_window_ns", "migration window", Unit.NANOS, 1_000_000L, 10_000_000_000L, true),
    MIGRATION_LIMIT("migration_limit", "migration limit", Unit.COUNT, 0, 1_000_000L, true),
    /** Fixed at load: the verifier drops the idle-core search from a build that never uses it. */
    AVOID_SMT("avoid_smt", "SMT avoidance", Unit.BOOLEAN, 0, 1, false),
    /** Fixed at load: init seeds the detected game with it, and detection stays off while it is set. */
    GAME_PID("game_pid", "game pid", Unit.PID, 0, 4_194_304L, false),
    FOREGROUND_WINDOW("foreground_window_ns", "foreground window", Unit.NANOS, 10_000_000L, 60_000_000_000L, true);

    /** How a tunable's number reads. */
    public enum Unit {
        NANOS("ns"), COUNT("count"), BOOLEAN("bool"), PID("pid");

        private final String symbol;

        Unit(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private final String bpfName;
    private final String meaning;
    private final Unit unit;
    private final long min;
    private final long max;
    private final boolean runtime;

    Tunable(String bpfName, String meaning, Unit unit, long min, long max, boolean runtime) {
        this.bpfName = bpfName;
        this.meaning = meaning;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.runtime = runtime;
    }

    /** The global's name in bpf/gamer.bpf.c, also the key in run specs and dataset rows. */
    public String bpfName() {
        return bpfName;
    }

    public Unit unit() {
        return unit;
    }

    /** Whether a running scheduler takes a new value ({@link Scheduler#retune}); otherwise it is fixed at load. */
    public boolean runtime() {
        return runtime;
    }

    public static Tunable byName(String bpfName) {
        for (Tunable t : values()) if (t.bpfName.equals(bpfName)) return t;
        throw new IllegalArgumentException("unknown tunable " + bpfName + "; the tunables are " + names(List.of(values())));
    }

    static List<String> names(List<Tunable> tunables) {
        return tunables.stream().map(Tunable::bpfName).toList();
    }

    /** Throws, naming this tunable, its value and what is allowed, unless the value is in range. */
    void check(long value) {
        if (value < min || value > max)
            throw new IllegalArgumentException(describe(value) + " is out of range: allowed " + allowed());
    }

    /** The text form as run specs hold it (true/false for a boolean, a whole number otherwise) into a value. */
    long parse(String text) {
        if (unit == Unit.BOOLEAN) {
            return switch (text) {
                case "true" -> 1;
                case "false" -> 0;
                default -> throw new IllegalArgumentException("tunable " + bpfName + " (" + meaning + ") = '" + text
                        + "' is not a boolean: allowed " + allowed());
            };
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tunable " + bpfName + " (" + meaning + ") = '" + text
                    + "' is not a whole number: allowed " + allowed(), e);
        }
    }

    String format(long value) {
        return unit == Unit.BOOLEAN ? Boolean.toString(value != 0) : Long.toString(value);
    }

    /** E.g. "tunable slice_ns (slice) = 0 ns". */
    String describe(long value) {
        return "tunable " + bpfName + " (" + meaning + ") = " + format(value) + (unit == Unit.NANOS ? " ns" : "");
    }

    String allowed() {
        return switch (unit) {
            case BOOLEAN -> "true or false";
            case NANOS -> min + " to " + max + " ns (" + readable(min) + " to " + readable(max) + ")";
            case PID -> min + " (detect the game) to " + max + " (the kernel's largest pid)";
            case COUNT -> min + " to " + max;
        };
    }

    /** Nanoseconds as the largest whole unit that fits, e.g. "10 us", "100 ms", "5 s". */
    static String readable(long nanos) {
        if (nanos != 0 && nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + " s";
        if (nanos != 0 && nanos % 1_000_000L == 0) return nanos / 1_000_000L + " ms";
        if (nanos != 0 && nanos % 1_000L == 0) return nanos / 1_000L + " us";
        return nanos + " ns";
    }
}
