package io.gamerlab.analysis;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Numbers as a person reads them: three significant digits (a few more decimals only where the
 * values are small), thousands as k, M, G, and the unit beside. An interval gets the decimals of
 * its largest bound, so its numbers line up with its estimate.
 */
public final class Digits {

    private static final int SIGNIFICANT = 3;

    private Digits() { }

    /** {@code value} with its unit: {@code 12.3 ns}, {@code 1.97x}, {@code 4.2 %}, {@code 2.24 M count/s}; a whole number below 10000 as it is. */
    public static String value(double value, String unit) {
        return number(value, whole(value) ? 0 : decimals(Math.abs(value))) + suffix(unit);
    }

    /** An estimate and its interval with the same decimals: {@code 12.3 [-89.8, 24.5] ns}. */
    public static String withInterval(double estimate, Interval interval, String unit) {
        int d = decimals(Math.max(Math.abs(estimate), Math.max(Math.abs(interval.low()), Math.abs(interval.high()))));
        return number(estimate, d) + " [" + number(interval.low(), d) + ", " + number(interval.high(), d) + "]" + suffix(unit);
    }

    /** A range such as a claim's, its numbers as written: {@code 20-50 ns}, {@code 1.8-2x}, or one number where min = max. */
    public static String range(double min, double max, String unit) {
        return (min == max ? written(min) : written(min) + "-" + written(max)) + suffix(unit);
    }

    /** A number someone wrote (a claim's bound): no trailing zeros, no rounding. */
    public static String written(double v) {
        return whole(v) ? String.format(Locale.ROOT, "%.0f", v) : BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static boolean whole(double v) {
        return v == Math.rint(v) && Math.abs(v) < 10_000;
    }

    /** A fraction as a percentage with two significant digits: {@code 0.041} is {@code 4.1 %}. */
    public static String percent(double fraction) {
        if (!Double.isFinite(fraction)) return "n/a";
        double p = 100 * fraction;
        return String.format(Locale.ROOT, "%." + Math.max(0, Math.min(3, 1 - magnitude(Math.abs(p)))) + "f %%", p);
    }

    private static String suffix(String unit) {
        return unit.isEmpty() ? "" : unit.equals("x") ? "x" : " " + unit;
    }

    private static String number(double v, int decimals) {
        if (!Double.isFinite(v)) return Double.isNaN(v) ? "n/a" : v > 0 ? "inf" : "-inf";
        if (decimals < 0) {
            // Large: scale to k, M, G so three digits remain.
            String[] prefixes = {"", " k", " M", " G", " T"};
            int step = 0;
            double scaled = v;
            while (Math.abs(scaled) >= 1000 && step < prefixes.length - 1) {
                scaled /= 1000;
                step++;
            }
            if (step == 0) return String.format(Locale.ROOT, "%.0f", v);
            return String.format(Locale.ROOT, "%." + Math.max(0, decimals(Math.abs(scaled))) + "f", scaled) + prefixes[step];
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Decimals that leave three significant digits in numbers up to {@code largest}; negative above 9999. */
    private static int decimals(double largest) {
        if (largest == 0 || !Double.isFinite(largest)) return 0;
        int m = magnitude(largest);
        if (m >= 4) return -1;
        return Math.max(0, Math.min(4, SIGNIFICANT - 1 - m));
    }

    private static int magnitude(double v) {
        return v == 0 ? 0 : (int) Math.floor(Math.log10(v));
    }
}
