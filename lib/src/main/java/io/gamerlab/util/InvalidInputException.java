package io.gamerlab.util;

/**
 * Input that gamerlab refuses: a message naming the field, the value given (quoted, control
 * characters escaped, long values shortened) and what is allowed, so a typo gets a sentence and
 * never a stack trace. Command-line entry points print the message alone.
 */
public final class InvalidInputException extends IllegalArgumentException {

    /** Values are shown up to this many characters, then summarised by their length. */
    private static final int SHOWN = 80;

    private final String field;

    public InvalidInputException(String field, Object value, String problem, String allowed) {
        this(field, field + " = " + shown(value) + ": " + problem + "; allowed: " + allowed);
    }

    private InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field, e.g. {@code repetitions} or {@code tunables.slice_ns}. */
    public String field() {
        return field;
    }

    /** The same refusal, said to be in {@code where} (a file, a line). */
    public InvalidInputException in(String where) {
        return new InvalidInputException(field, where + ": " + getMessage());
    }

    /** A value as an error message shows it: quoted text, escaped, at most {@value #SHOWN} characters. */
    public static String shown(Object value) {
        if (value == null) return "(nothing)";
        String text = value.toString();
        StringBuilder s = new StringBuilder("\"");
        int limit = Math.min(text.length(), SHOWN);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') s.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\ufffd') s.append(String.format("\\u%04x", (int) c));
            else s.append(c);
        }
        s.append('"');
        if (text.length() > SHOWN) s.append("... (").append(text.length()).append(" characters)");
        return s.toString();
    }
}
