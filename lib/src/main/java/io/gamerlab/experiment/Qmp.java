package io.gamerlab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little of QEMU's machine protocol (QMP) that {@link InputInjector} speaks: one JSON object
 * per line each way. Commands are built as text; replies are classified by their top-level
 * members ("QMP" greeting, "return", "error", "event"), found by a small scanner that tracks
 * strings and nesting: no JSON library for four message shapes.
 */
final class Qmp {

    private Qmp() { }

    enum Kind { GREETING, RETURN, ERROR, EVENT, OTHER }

    /** One line QEMU sent, classified. */
    record Reply(Kind kind, OptionalLong id, String errorDescription, String text) { }

    private static final Pattern DESC = Pattern.compile("\"desc\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    static String capabilities() {
        return "{\"execute\":\"qmp_capabilities\"}\n";
    }

    /**
     * An input-send-event command with {@code count} relative motion events on the x axis whose
     * values alternate +1, -1, +1, ... starting at {@code first} (the motion nets to zero). QEMU
     * sends them to the guest as one report: the events, then a SYN_REPORT.
     */
    static String relativeMotion(long id, int count, boolean firstPositive) {
        if (count < 1) throw new IllegalArgumentException("a command carries at least one event, not " + count);
        StringBuilder b = new StringBuilder(64 + 48 * count)
                .append("{\"execute\":\"input-send-event\",\"id\":").append(id).append(",\"arguments\":{\"events\":[");
        boolean positive = firstPositive;
        for (int i = 0; i < count; i++) {
            if (i > 0) b.append(',');
            b.append("{\"type\":\"rel\",\"data\":{\"axis\":\"x\",\"value\":").append(positive ? 1 : -1).append("}}");
            positive = !positive;
        }
        return b.append("]}}\n").toString();
    }

    /**
     * One press and release of the A key: one report, two EV_KEY events in the guest. No device is
     * named: input-send-event's {@code device} is a display console, not an input device; QEMU
     * routes keys to the keyboard the guest activated last (the virtio keyboard, once its driver binds).
     */
    static String keyPress(long id) {
        String key = "\"key\":{\"type\":\"qcode\",\"data\":\"a\"}";
        return "{\"execute\":\"input-send-event\",\"id\":" + id + ",\"arguments\":{\"events\":["
                + "{\"type\":\"key\",\"data\":{\"down\":true," + key + "}},"
                + "{\"type\":\"key\",\"data\":{\"down\":false," + key + "}}]}}\n";
    }

    static Reply parse(String line) {
        Map<String, String> fields = topLevel(line);
        Kind k = fields.containsKey("QMP") ? Kind.GREETING
                : fields.containsKey("error") ? Kind.ERROR
                : fields.containsKey("return") ? Kind.RETURN
                : fields.containsKey("event") ? Kind.EVENT
                : Kind.OTHER;
        OptionalLong id = OptionalLong.empty();
        String rawId = fields.get("id");
        if (rawId != null && rawId.matches("\\d{1,18}")) id = OptionalLong.of(Long.parseLong(rawId));
        String desc = null;
        if (k == Kind.ERROR) {
            Matcher d = DESC.matcher(fields.get("error"));
            desc = d.find() ? d.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : fields.get("error");
        }
        return new Reply(k, id, desc, line.strip());
    }

    /**
     * The members of a one-line JSON object: key to the raw text of its value. QEMU prints a
     * reply's members in hash order, so "id" may come before or after "return".
     */
    static Map<String, String> topLevel(String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        int depth = 0;
        boolean inString = false;
        String key = null;
        int valueStart = -1;
        int stringStart = -1;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') {
                    inString = false;
                    if (depth == 1 && key == null && valueStart < 0) key = json.substring(stringStart + 1, i);
                }
                continue;
            }
            switch (c) {
                case '"' -> { inString = true; stringStart = i; }
                case '{', '[' -> depth++;
                case ':' -> { if (depth == 1 && key != null && valueStart < 0) valueStart = i + 1; }
                case ',', '}', ']' -> {
                    if (depth == 1 && (c == ',' || c == '}') && key != null && valueStart >= 0) {
                        fields.put(key, json.substring(valueStart, i).strip());
                        key = null;
                        valueStart = -1;
                    }
                    if (c != ',') depth--;
                }
                default -> { }
            }
        }
        return fields;
    }
}
