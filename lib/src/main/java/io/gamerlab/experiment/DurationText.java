package io.gamerlab.experiment;

import io.gamerlab.util.InvalidInputException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as experiment files write them: a whole number and a unit, e.g. {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
final class DurationText {

    private static final Pattern FORM = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    static final String ALLOWED = "a whole number and a unit ms, s, m or h, e.g. \"10s\"";

    private DurationText() { }

    static Duration parse(String field, String text, Duration min, Duration max) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) throw new InvalidInputException(field, text, "is not a duration", ALLOWED + ", from " + format(min) + " to " + format(max));
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        check(field, d, min, max);
        return d;
    }

    static void check(String field, Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0)
            throw new InvalidInputException(field, format(d), "is out of range", "from " + format(min) + " to " + format(max));
    }

    /** In the largest unit that holds it exactly. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1_000 == 0) return ms / 1_000 + "s";
        return ms + "ms";
    }
}
