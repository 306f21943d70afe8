package io.gamerlab.bench.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A host bench's command line, parsed: each argument is a flag ({@code --smoke}) or an option with
 * one value ({@code --reps 5}). An unknown argument, a missing value or a value that is not a
 * number where one is wanted is an IllegalArgumentException whose message names it and ends with
 * the usage line.
 */
public final class OptionArgs {
    private final Map<String, String> given;
    private final String usage;

    private OptionArgs(Map<String, String> given, String usage) {
        this.given = given;
        this.usage = usage;
    }

    public static OptionArgs parse(String[] args, Set<String> flags, Set<String> valued, String usage) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (flags.contains(a)) {
                given.put(a, "");
            } else if (valued.contains(a)) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value\n" + usage);
                given.put(a, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + a + "\n" + usage);
            }
        }
        return new OptionArgs(given, usage);
    }

    public boolean has(String option) {
        return given.containsKey(option);
    }

    /** The option's value, or null when it was not given. */
    public String text(String option) {
        return given.get(option);
    }

    public int integer(String option, int otherwise) {
        return (int) number(option, otherwise, false);
    }

    public long longInteger(String option, long otherwise) {
        return (long) number(option, otherwise, false);
    }

    public double decimal(String option, double otherwise) {
        return number(option, otherwise, true);
    }

    /** A problem with the options: the message, then the usage line. */
    public IllegalArgumentException problem(String message) {
        return new IllegalArgumentException(message + "\n" + usage);
    }

    private double number(String option, double otherwise, boolean decimal) {
        String value = given.get(option);
        if (value == null) return otherwise;
        try {
            return decimal ? Double.parseDouble(value) : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw problem(option + " needs " + (decimal ? "a number" : "a whole number") + ", not '" + value + "'");
        }
    }
}
