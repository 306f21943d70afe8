package io.gamerlab.workload;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One typed parameter of a workload's text form ({@code name=value}): what it means, its default
 * and the range it allows. A value is parsed and checked against the range when the text is
 * read, before anything runs; an error names the workload, the parameter, the value and what is
 * allowed. {@link #format} writes the canonical text that {@link #parse} reads back.
 *
 * <p>Types: durations ({@code 16.6ms}, {@code 500us}, {@code 2s}, {@code 100ns}), counts,
 * byte sizes ({@code 4MiB}, {@code 64KiB}, {@code 1GiB}, plain bytes), {@code on}/{@code off},
 * and thread counts, which also take {@code cpus}: one per CPU of the machine that runs the
 * workload (a guest's CPUs, not the host's), resolved only when it runs.
 */
public final class Parameter<T> {

    /** Internal value of a thread count given as {@code cpus}. */
    static final int PER_CPU = -1;

    private final String name;
    private final String meaning;
    private final Type<T> type;
    private final T defaultValue;
    private final T min;
    private final T max;

    private Parameter(String name, String meaning, Type<T> type, T defaultValue, T min, T max) {
        this.name = name;
        this.meaning = meaning;
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        if (!allowed(defaultValue)) throw new IllegalArgumentException(name + ": default " + format(defaultValue) + " is out of range");
    }

    /** A duration from {@code min} to {@code max} inclusive, each written as in the text form. */
    static Parameter<Duration> duration(String name, String meaning, String defaultValue, String min, String max) {
        return new Parameter<>(name, meaning, DURATION, DURATION.parse(defaultValue), DURATION.parse(min), DURATION.parse(max));
    }

    static Parameter<Integer> count(String name, String meaning, int defaultValue, int min, int max) {
        return new Parameter<>(name, meaning, COUNT, defaultValue, min, max);
    }

    /** A number of threads from {@code min} to {@code max}, or {@code cpus}; the default may be {@link #PER_CPU}. */
    static Parameter<Integer> threads(String name, String meaning, int defaultValue, int min, int max) {
        return new Parameter<>(name, meaning, THREADS, defaultValue, min, max);
    }

    static Parameter<Long> bytes(String name, String meaning, String defaultValue, String min, String max) {
        return new Parameter<>(name, meaning, BYTES, BYTES.parse(defaultValue), BYTES.parse(min), BYTES.parse(max));
    }

    static Parameter<Boolean> onOff(String name, String meaning, boolean defaultValue) {
        return new Parameter<>(name, meaning, SWITCH, defaultValue, null, null);
    }

    public String name() {
        return name;
    }

    public String meaning() {
        return meaning;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** What values are allowed, e.g. {@code 1ms..1s}, {@code 0..256 or cpus}, {@code on or off}. */
    public String allowed() {
        if (type == SWITCH) return "on or off";
        String range = format(min) + ".." + format(max);
        return type == THREADS ? range + " or cpus" : range;
    }

    /** One line for help texts: {@code period=16.6ms (1ms..1s): the frame period}. */
    public String describe() {
        return name + "=" + format(defaultValue) + " (" + allowed() + "): " + meaning;
    }

    /** Parses and range-checks {@code text}; {@code workload} names the workload in errors. */
    T parse(String workload, String text) {
        T value;
        try {
            value = type.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(workload + ": " + name + "='" + text + "' is not " + type.what + "; allowed: " + allowed());
        }
        check(workload, value);
        return value;
    }

    /** Throws unless {@code value} is in range; for values set from Java rather than parsed. */
    void check(String workload, T value) {
        if (!allowed(value))
            throw new IllegalArgumentException(workload + ": " + name + "=" + format(value) + " is out of range; allowed: " + allowed());
    }

    String format(T value) {
        return type.format(value);
    }

    /** Casts a value known to belong to this parameter (as a {@link Settings} map holds it). */
    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    private boolean allowed(T value) {
        Objects.requireNonNull(value, name);
        if (type == SWITCH || (type == THREADS && value.equals(PER_CPU))) return true;
        return type.order.compare(value, min) >= 0 && type.order.compare(value, max) <= 0;
    }

    /** A thread count as the machine running the workload resolves it: {@code cpus} becomes its CPU count. */
    static int resolveThreads(int value) {
        return value == PER_CPU ? Runtime.getRuntime().availableProcessors() : value;
    }

    @Override
    public String toString() {
        return name;
    }

    /** How one type of value is read, written and ordered. */
    private record Type<T>(String what, Parser<T> parser, Formatter<T> formatter, Comparator<T> order) {
        T parse(String text) {
            return parser.parse(text);
        }

        String format(T value) {
            return formatter.format(value);
        }
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private interface Formatter<T> {
        String format(T value);
    }

    private record Unit(String suffix, long factor) { }

    private static final List<Unit> TIME_UNITS = List.of(new Unit("ns", 1), new Unit("us", 1_000),
            new Unit("ms", 1_000_000), new Unit("s", 1_000_000_000));
    private static final List<Unit> SIZE_UNITS = List.of(new Unit("B", 1), new Unit("KiB", 1L << 10),
            new Unit("MiB", 1L << 20), new Unit("GiB", 1L << 30));

    private static final Type<Duration> DURATION = new Type<Duration>("a duration (a number and ns, us, ms or s, e.g. 16.6ms)",
            text -> Duration.ofNanos(scaled(text, TIME_UNITS, false)), d -> formatScaled(d.toNanos(), TIME_UNITS, true),
            Comparator.naturalOrder());
    private static final Type<Long> BYTES = new Type<Long>("a size (a whole number and B, KiB, MiB or GiB, e.g. 4MiB)",
            text -> scaled(text, SIZE_UNITS, true), b -> formatScaled(b, SIZE_UNITS, false), Comparator.naturalOrder());
    private static final Type<Integer> COUNT = new Type<Integer>("a whole number", Parameter::parseInt, String::valueOf,
            Comparator.naturalOrder());
    private static final Type<Integer> THREADS = new Type<Integer>("a whole number or cpus",
            text -> text.equals("cpus") ? PER_CPU : parseInt(text), n -> n == PER_CPU ? "cpus" : String.valueOf(n),
            Comparator.naturalOrder());
    private static final Type<Boolean> SWITCH = new Type<Boolean>("on or off", text -> switch (text) {
        case "on" -> true;
        case "off" -> false;
        default -> throw new IllegalArgumentException(text);
    }, on -> on ? "on" : "off", Comparator.naturalOrder());

    private static int parseInt(String text) {
        if (!text.matches("\\d{1,9}")) throw new IllegalArgumentException(text);
        return Integer.parseInt(text);
    }

    /**
     * A number with one of {@code units} (a bare number for a unit of factor 1 only when
     * {@code bareAllowed}), as a whole multiple of the smallest unit; fractions are allowed where
     * they come out whole (16.6ms is 16600000 ns).
     */
    private static long scaled(String text, List<Unit> units, boolean bareAllowed) {
        Unit unit = null;
        for (Unit u : units) if (text.endsWith(u.suffix) && (unit == null || u.suffix.length() > unit.suffix.length())) unit = u;
        // "ms" also ends with "s": the longest matching suffix wins, and a digit must precede it.
        String number = unit == null ? text : text.substring(0, text.length() - unit.suffix.length());
        if (unit == null && !bareAllowed) throw new IllegalArgumentException(text);
        if (!number.matches("\\d{1,12}(\\.\\d{1,9})?")) throw new IllegalArgumentException(text);
        BigDecimal value = new BigDecimal(number).multiply(BigDecimal.valueOf(unit == null ? 1 : unit.factor));
        try {
            return value.longValueExact();
        } catch (ArithmeticException notWhole) {
            throw new IllegalArgumentException(text);
        }
    }

    /** In the largest unit that writes it exactly (fractions allowed for time: 16.6ms, not 16600us). */
    private static String formatScaled(long value, List<Unit> units, boolean fractions) {
        for (int i = units.size() - 1; i > 0; i--) {
            Unit u = units.get(i);
            if (value % u.factor == 0 || (fractions && value >= u.factor))
                return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(u.factor)).stripTrailingZeros().toPlainString() + u.suffix;
        }
        return value + units.getFirst().suffix;
    }
}
