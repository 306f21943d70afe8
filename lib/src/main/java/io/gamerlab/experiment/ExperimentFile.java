package io.gamerlab.experiment;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.gamerlab.sched.Tunables;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Experiment files: TOML (toml.io), parsed by Jackson's TOML module. TOML because a researcher
 * edits these by hand: it has comments, typed values with no guessing (YAML reads {@code no} as
 * false and {@code 1.10} as 1.1), no significant indentation, and one obvious way to write each
 * thing; and Jackson's parser reports line and column. The experiment's name is the file's name.
 * <pre>
 * description = "Seed proposal 1: one ring buffer per CPU instead of one shared"
 * variants = ["ringbuf=shared", "ringbuf=percpu", "kernel-default"]
 * repetitions = 3
 * warmup = "2s"
 * duration = "10s"
 * seed = 20261201
 * backend = "auto"              # auto, host or guest
 *
 * [[workloads]]
 * name = "gameloop"
 * hogs = 2                      # any other key is a parameter of the workload
 *
 * [tunables]                    # optional: the scheduler's runtime options by their BPF names
 * slice_ns = 2000000
 * </pre>
 */
public final class ExperimentFile {

    private static final List<String> KEYS = List.of("description", "variants", "workloads", "tunables", "repetitions", "warmup",
            "duration", "seed", "backend");
    private static final List<String> REQUIRED = List.of("variants", "workloads", "repetitions", "warmup", "duration", "seed");
    private static final TomlMapper TOML = new TomlMapper();
    /** Larger files are no experiment a person wrote. */
    private static final int MAX_BYTES = 1 << 20;

    private ExperimentFile() { }

    /** {@code experiments/x.toml}, or {@code experiments/x} when {@code x.toml} exists. */
    public static Path resolve(Path given) throws NoSuchFileException {
        if (Files.isRegularFile(given)) return given;
        Path withSuffix = given.resolveSibling(given.getFileName() + ".toml");
        if (!given.toString().endsWith(".toml") && Files.isRegularFile(withSuffix)) return withSuffix;
        throw new NoSuchFileException(given.toString(), null, "no experiment file there (nor " + withSuffix.getFileName()
                + "); give the path of one, e.g. experiments/" + (given.getFileName() == null ? "name" : given.getFileName()) + ".toml");
    }

    /** Reads and checks an experiment file; errors name the file, the field, the value and what is allowed. */
    public static Experiment read(Path file) throws IOException {
        Path resolved = resolve(file);
        if (Files.size(resolved) > MAX_BYTES)
            throw new InvalidInputException("size", Files.size(resolved) + " bytes", "is too large for an experiment file",
                    "at most " + MAX_BYTES + " bytes").in(resolved.toString());
        String name = resolved.getFileName().toString().replaceFirst("\\.toml$", "");
        return parse(name, Files.readAllBytes(resolved), resolved.toString());
    }

    /** Parses an experiment named {@code name} from a file's bytes; {@code where} names it in errors. */
    public static Experiment parse(String name, byte[] bytes, String where) {
        try {
            return parse(name, text(bytes), where);
        } catch (InvalidInputException e) {
            throw e.in(where);
        }
    }

    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("file", "(" + bytes.length + " bytes)", "is not UTF-8 text", "a UTF-8 TOML file");
        }
    }

    private static Experiment parse(String name, String text, String where) {
        JsonNode root;
        try {
            root = TOML.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String line = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidInputException("toml", line, "is not valid TOML: " + firstLine(e.getOriginalMessage()),
                    "TOML (toml.io), e.g. repetitions = 3 or variants = [\"ringbuf=percpu\", \"kernel-default\"]");
        }
        if (root == null || !root.isObject())
            throw new InvalidInputException("file", where, "holds no TOML table", "TOML keys such as variants = [...]");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) throw new InvalidInputException(key, shown(root.get(key)), "is not a key of an experiment file", String.join(", ", KEYS));
        }
        for (String key : REQUIRED)
            if (!root.has(key)) throw new InvalidInputException(key, null, "is missing", "every experiment gives " + String.join(", ", REQUIRED));
        Experiment.Builder b = Experiment.named(name)
                .description(root.has("description") ? string(root, "description") : "")
                .repetitions(integer(root, "repetitions", 1, Experiment.MAX_REPETITIONS))
                .warmup(DurationText.parse("warmup", string(root, "warmup"), Duration.ZERO, Experiment.MAX_DURATION))
                .duration(DurationText.parse("duration", string(root, "duration"), Duration.ofSeconds(1), Experiment.MAX_DURATION))
                .seed(seed(root.get("seed")))
                .backend(root.has("backend") ? string(root, "backend") : "auto")
                .tunables(tunables(root.get("tunables")));
        JsonNode variants = array(root, "variants");
        for (int i = 0; i < variants.size(); i++) {
            JsonNode v = variants.get(i);
            if (!v.isTextual()) throw new InvalidInputException("variants[" + i + "]", shown(v), "is " + kind(v) + ", not text",
                    "text such as \"ringbuf=percpu,batch=8\", \"baseline\" or \"kernel-default\"");
            b.variant(VariantChoice.parse("variants[" + i + "]", v.textValue()));
        }
        JsonNode workloads = array(root, "workloads");
        for (int i = 0; i < workloads.size(); i++) workload(b, "workloads[" + i + "]", workloads.get(i));
        Experiment experiment = b.build();
        CellSpecs.check(experiment);
        return experiment;
    }

    private static void workload(Experiment.Builder b, String field, JsonNode w) {
        if (!w.isObject()) throw new InvalidInputException(field, shown(w), "is " + kind(w) + ", not a table",
                "a table such as { name = \"gameloop\", hogs = 2 } or a [[workloads]] section");
        if (!w.has("name") || !w.get("name").isTextual())
            throw new InvalidInputException(field + ".name", shown(w.get("name")), "is missing or not text", "a workload name such as \"gameloop\"");
        Map<String, String> params = new LinkedHashMap<>();
        for (var it = w.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("name")) continue;
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull())
                throw new InvalidInputException(field + "." + e.getKey(), shown(v), "is " + kind(v), "a number, text or true/false");
            // A TOML boolean is a workload switch: the text form says on or off.
            params.put(e.getKey(), v.isBoolean() ? (v.booleanValue() ? "on" : "off") : v.asText());
        }
        b.workload(w.get("name").textValue(), params);
    }

    /**
     * The tunables by their BPF names: a whole number each, true/false where the default is one.
     * Ranges and relations are {@link Tunables}'s to check.
     */
    private static Tunables tunables(JsonNode node) {
        if (node == null) return Tunables.defaults();
        Map<String, String> defaults = Tunables.defaults().asProperties();
        if (!node.isObject()) throw new InvalidInputException("tunables", shown(node), "is " + kind(node) + ", not a table",
                "a [tunables] section with " + String.join(", ", defaults.keySet()));
        Map<String, String> given = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String field = "tunables." + e.getKey();
            String example = defaults.get(e.getKey());
            if (example == null) throw new InvalidInputException(field, shown(e.getValue()), "is not a tunable", String.join(", ", defaults.keySet()));
            boolean flag = example.equals("true") || example.equals("false");
            JsonNode v = e.getValue();
            if (flag ? !v.isBoolean() : !(v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0))
                throw new InvalidInputException(field, shown(v), "is " + kind(v), flag ? "true or false" : "a whole number >= 0 (default " + example + ")");
            given.put(e.getKey(), v.asText());
        }
        try {
            return Tunables.fromProperties(given);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("tunables", given.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue())
                    .collect(Collectors.joining(",")), e.getMessage(), "values within each tunable's range");
        }
    }

    private static String string(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (!v.isTextual()) throw new InvalidInputException(key, shown(v), "is " + kind(v) + ", not text", "text in double quotes");
        return v.textValue();
    }

    private static int integer(JsonNode root, String key, int min, int max) {
        JsonNode v = root.get(key);
        String allowed = "a whole number from " + min + " to " + max;
        if (!v.isIntegralNumber()) throw new InvalidInputException(key, shown(v), "is " + kind(v), allowed);
        if (!v.canConvertToInt() || v.intValue() < min || v.intValue() > max)
            throw new InvalidInputException(key, shown(v), "is out of range", allowed);
        return v.intValue();
    }

    private static long seed(JsonNode v) {
        String allowed = "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        if (!v.isIntegralNumber()) throw new InvalidInputException("seed", shown(v), "is " + kind(v), allowed);
        if (!v.canConvertToLong()) throw new InvalidInputException("seed", shown(v), "is out of range", allowed);
        return v.longValue();
    }

    private static JsonNode array(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (!v.isArray()) throw new InvalidInputException(key, shown(v), "is " + kind(v) + ", not a list", "a list in [ ... ]"
                + (key.equals("workloads") ? " or [[workloads]] sections" : ""));
        return v;
    }

    /** A value as the file wrote it: text without JSON's quotes, anything else as TOML would show it. */
    private static String shown(JsonNode v) {
        if (v == null || v.isNull()) return null;
        return v.isTextual() ? v.textValue() : v.toString();
    }

    /** What a value is, as an error message says it: "a number", "text", ... */
    private static String kind(JsonNode v) {
        if (v == null || v.isNull()) return "nothing";
        if (v.isBoolean()) return "true/false";
        if (v.isIntegralNumber()) return "a whole number";
        if (v.isNumber()) return "a decimal number";
        if (v.isTextual()) return "text";
        if (v.isArray()) return "a list";
        if (v.isObject()) return "a table";
        return v.getNodeType().toString().toLowerCase();
    }

    private static String firstLine(String message) {
        return message == null ? "(no detail)" : message.lines().findFirst().orElse("");
    }

    /** The experiment as a file that {@link #parse} reads back equal: what a dataset keeps of what made it. */
    public static String write(Experiment e) {
        StringBuilder s = new StringBuilder();
        s.append("# gamerlab experiment ").append(e.name()).append('\n');
        if (!e.description().isEmpty()) s.append("description = ").append(quoted(e.description())).append('\n');
        s.append("variants = [").append(e.variants().stream().map(v -> quoted(v.label())).collect(Collectors.joining(", "))).append("]\n");
        s.append("repetitions = ").append(e.repetitions()).append('\n');
        s.append("warmup = ").append(quoted(DurationText.format(e.warmup()))).append('\n');
        s.append("duration = ").append(quoted(DurationText.format(e.duration()))).append('\n');
        s.append("seed = ").append(e.seed()).append('\n');
        s.append("backend = ").append(quoted(e.backend())).append('\n');
        s.append("\n[tunables]\n");
        e.tunables().asProperties().forEach((k, v) -> s.append(k).append(" = ").append(v).append('\n'));
        for (WorkloadChoice w : e.workloads()) {
            s.append("\n[[workloads]]\nname = ").append(quoted(w.name())).append('\n');
            w.params().forEach((k, v) -> s.append(k).append(" = ").append(quoted(v)).append('\n'));
        }
        return s.toString();
    }

    private static String quoted(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') s.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f) s.append(String.format("\\u%04X", (int) c));
            else s.append(c);
        }
        return s.append('"').toString();
    }
}
