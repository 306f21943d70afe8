package io.gamerlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gamerlab.experiment.DatasetFile;
import io.gamerlab.measure.Column;
import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.measure.SampleProvenance;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds generated malformed input to gamerlab - experiment files, dataset CSVs and command lines:
 * truncations, wrong types, out-of-range numbers, unknown keys, junk bytes, huge values - and
 * checks each gets a refusal that names the field, the value and what is allowed, with no stack
 * trace and no file left behind. Seeded, so a failure names an input that can be made again.
 */
class BadInputFuzzTest {

    private static final Random RANDOM = new Random(13);

    /** Every strict prefix of this is malformed: the last line is a required key. */
    private static final String EXPERIMENT = """
            description = "fuzz base"
            variants = ["ringbuf=shared", "ringbuf=percpu,batch=8"]
            workloads = [{ name = "gameloop", hogs = 1 }, { name = "gameloop", hogs = 0, fork_stress = true }]
            tunables = { slice_ns = 1000000, avoid_smt = false }
            repetitions = 2
            warmup = "1s"
            seed = 99
            backend = "guest"
            duration = "3s"
            """;

    private record Outcome(int status, String out, String err) { }

    private static Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Gamerlab.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(status, out.toString(), err.toString());
    }

    private static void assertNoStackTrace(String what, String text) {
        assertFalse(text.contains("\tat ") || text.contains("Exception in thread"), () -> what + ": a stack trace:\n" + text);
    }

    // ---- experiment files ------------------------------------------------------------------

    private record Bad(String kind, String text) { }

    private static String replaceLine(String text, String key, String value) {
        return text.lines().map(l -> l.startsWith(key + " = ") ? key + " = " + value : l).reduce("", (a, b) -> a + b + "\n");
    }

    private static <T> T pick(List<T> from) {
        return from.get(RANDOM.nextInt(from.size()));
    }

    private static String word() {
        StringBuilder s = new StringBuilder();
        for (int i = 0, n = 3 + RANDOM.nextInt(10); i < n; i++) s.append((char) ('a' + RANDOM.nextInt(26)));
        return s.toString();
    }

    private static String digits(int n) {
        StringBuilder s = new StringBuilder().append(1 + RANDOM.nextInt(9));
        for (int i = 1; i < n; i++) s.append(RANDOM.nextInt(10));
        return s.toString();
    }

    private static List<Bad> badExperiments() {
        List<Bad> bad = new ArrayList<>();
        String t = EXPERIMENT;
        for (int i = 0; i < 150; i++) bad.add(new Bad("truncation", t.substring(0, RANDOM.nextInt(t.length() - 1))));
        List<Supplier<Bad>> wrongTypes = List.of(
                () -> new Bad("wrong type", replaceLine(t, "repetitions", pick(List.of("\"2\"", "2.5", "true", "[2]", "{ n = 2 }", "1979-05-27")))),
                () -> new Bad("wrong type", replaceLine(t, "seed", pick(List.of("\"99\"", "9.9", "false", "[]", "nan", "inf")))),
                () -> new Bad("wrong type", replaceLine(t, "duration", pick(List.of("3", "3.0", "true", "[\"3s\"]", "\"3\"", "\"3 s\"", "\"PT3S\"", "\"-3s\"")))),
                () -> new Bad("wrong type", replaceLine(t, "warmup", pick(List.of("1", "\"1sec\"", "false", "{}", "\"s\"", "\"1.5s\"")))),
                () -> new Bad("wrong type", replaceLine(t, "backend", pick(List.of("1", "true", "[\"guest\"]", "\"kvm\"", "\"GUEST\"", "\"\"")))),
                () -> new Bad("wrong type", replaceLine(t, "description", pick(List.of("1", "true", "[\"x\"]", "{ a = 1 }")))),
                () -> new Bad("wrong type", replaceLine(t, "variants", pick(List.of("\"ringbuf=shared\"", "[1, 2]", "[true]", "[]", "[[\"a\"]]",
                        "[\"ringbuf=" + word() + "\"]", "[\"" + word() + "=on\"]", "[\"ringbuf\"]", "[\"ringbuf=shared,ringbuf=percpu\"]")))),
                () -> new Bad("wrong type", replaceLine(t, "workloads", pick(List.of("\"gameloop\"", "[\"gameloop\"]", "[1]", "[{ hogs = 1 }]",
                        "[{ name = 1 }]", "[{ name = \"gameloop\", hogs = [1] }]", "[{ name = \"gameloop\", hogs = \"many\" }]",
                        "[{ name = \"gameloop\", fork_stress = \"maybe\" }]", "[{ name = \"Game Loop\" }]", "[]")))),
                () -> new Bad("wrong type", replaceLine(t, "tunables", pick(List.of("1", "\"slice\"", "[1]", "{ slice_ns = \"1ms\" }",
                        "{ slice_ns = 1.5 }", "{ avoid_smt = 1 }", "{ avoid_smt = \"yes\" }", "{ game_pid = true }")))));
        for (int i = 0; i < 170; i++) bad.add(pick(wrongTypes).get());
        List<Supplier<Bad>> outOfRange = List.of(
                () -> new Bad("out of range", replaceLine(t, "repetitions", pick(List.of("0", "-1", "1001", digits(12), digits(30))))),
                () -> new Bad("out of range", replaceLine(t, "seed", digits(20 + RANDOM.nextInt(30)))),
                () -> new Bad("out of range", replaceLine(t, "duration", pick(List.of("\"0s\"", "\"999ms\"", "\"2h\"", "\"61m\"", "\"" + digits(9) + "h\"", "\"" + digits(12) + "s\"")))),
                () -> new Bad("out of range", replaceLine(t, "warmup", pick(List.of("\"2h\"", "\"3601s\"", "\"" + digits(9) + "m\"")))),
                () -> new Bad("out of range", replaceLine(t, "tunables", "{ slice_ns = " + pick(List.of("-1", "0", digits(25))) + " }")),
                () -> new Bad("out of range", replaceLine(t, "workloads", "[{ name = \"gameloop\", hogs = " + pick(List.of("-1", "257", digits(6))) + " }]")));
        for (int i = 0; i < 130; i++) bad.add(pick(outOfRange).get());
        List<Supplier<Bad>> unknownKeys = List.of(
                () -> new Bad("unknown key", word() + " = 1\n" + t),
                () -> new Bad("unknown key", replaceLine(t, "tunables", "{ " + word() + "_ns = 1 }")),
                () -> new Bad("unknown key", replaceLine(t, "workloads", "[{ name = \"gameloop\", " + word() + " = 3 }]")),
                () -> new Bad("unknown key", replaceLine(t, "workloads", "[{ name = \"" + word() + "\" }]")),
                () -> new Bad("unknown key", t + "[" + word() + "]\nx = 1\n"));
        for (int i = 0; i < 100; i++) bad.add(pick(unknownKeys).get());
        for (int i = 0; i < 80; i++) {
            byte[] bytes = t.getBytes(StandardCharsets.UTF_8);
            int at = RANDOM.nextInt(bytes.length);
            byte[] junk = new byte[1 + RANDOM.nextInt(6)];
            RANDOM.nextBytes(junk);
            junk[RANDOM.nextInt(junk.length)] = (byte) (0xF8 | RANDOM.nextInt(8));  // never valid in UTF-8
            byte[] mixed = new byte[bytes.length + junk.length];
            System.arraycopy(bytes, 0, mixed, 0, at);
            System.arraycopy(junk, 0, mixed, at, junk.length);
            System.arraycopy(bytes, at, mixed, at + junk.length, bytes.length - at);
            bad.add(new Bad("junk bytes", new String(mixed, StandardCharsets.ISO_8859_1)));
        }
        for (int i = 0; i < 40; i++) {
            String line = pick(t.lines().toList());
            String junked = line.replaceFirst(" = ", " " + pick(List.of("==", ":", "=>", "\u0000", "\u0007", "= =", "")) + " ");
            bad.add(new Bad("junk in a line", t.replace(line, junked)));
        }
        List<Supplier<Bad>> huge = List.of(
                () -> new Bad("huge value", replaceLine(t, "description", "\"" + "x".repeat(2001 + RANDOM.nextInt(100_000)) + "\"")),
                () -> new Bad("huge value", replaceLine(t, "repetitions", digits(200 + RANDOM.nextInt(5000)))),
                () -> new Bad("huge value", replaceLine(t, "variants", "[" + "\"ringbuf=shared\", ".repeat(2 + RANDOM.nextInt(5000)) + "\"baseline\"]")),
                () -> new Bad("huge value", replaceLine(t, "description", "\"" + "y".repeat((1 << 20) + 1) + "\"")));
        for (int i = 0; i < 30; i++) bad.add(pick(huge).get());
        return bad;
    }

    @Test
    void malformedExperimentFilesAreRefusedNamingFieldValueAndWhatIsAllowed(@TempDir Path tmp) throws IOException {
        Path datasets = tmp.resolve("datasets");
        Path base = tmp.resolve("fuzz.toml");
        Files.writeString(base, EXPERIMENT);
        Outcome valid = cli("run", base.toString(), "--dry-run", "--datasets", datasets.toString());
        assertEquals(0, valid.status(), valid.err());
        List<Bad> bad = badExperiments();
        int n = 0;
        for (Bad b : bad) {
            Path file = tmp.resolve("fuzz-" + n++ + ".toml");
            Files.write(file, b.text().getBytes(b.kind().startsWith("junk bytes") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
            String[] args = n % 5 == 0 ? new String[] {"run", file.toString(), "--datasets", datasets.toString(), "--backend", "host"}
                    : new String[] {"run", file.toString(), "--dry-run", "--datasets", datasets.toString()};
            Outcome o = cli(args);
            String what = b.kind() + " #" + n + " (" + file + ")";
            assertEquals(Gamerlab.BAD_DATA, o.status(), () -> what + " was not refused as bad data: " + o.err() + "\n" + abbreviated(b.text()));
            assertTrue(o.err().contains(file.toString() + ": "), () -> what + ": the error does not name the file: " + o.err());
            assertTrue(o.err().contains(" = ") && o.err().contains("; allowed: "), () -> what + ": no field = value; allowed: " + o.err());
            assertNoStackTrace(what, o.err());
            assertFalse(Files.exists(datasets), () -> what + " left files in " + datasets);
        }
        System.out.println("BadInputFuzzTest: " + bad.size() + " malformed experiment files refused");
        assertTrue(bad.size() >= 700);
    }

    private static String abbreviated(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }

    // ---- dataset CSVs ----------------------------------------------------------------------

    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private static String sampleCsv() {
        Provenance p = SampleProvenance.of("c0001-abcdef12", "baseline", "guest-tcg");
        RunTable t = new RunTable(p).add("workload", "frame_time_p50", "ms", 4.25).add("perf", "task_clock", "ns", 123456)
                .addUnsupported("perf", "cycles", "count", "ENOENT: no PMU, \"quoted\"").add("workload", "frames", "count", 600);
        return new String(DatasetFile.encode(t.table()), StandardCharsets.UTF_8);
    }

    private static List<List<String>> records(String csv) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (CSVRecord r : CSV.parse(new StringReader(csv))) rows.add(new ArrayList<>(r.toList()));
        return rows;
    }

    private static String print(List<List<String>> rows) throws IOException {
        StringBuilder s = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(s, CSV)) {
            for (List<String> r : rows) p.printRecord(r);
        }
        return s.toString();
    }

    /** A data row (not the header, not the closing row) and a column, with a value that column refuses. */
    private static String wrongCell(String csv, boolean outOfRange) throws IOException {
        List<List<String>> rows = records(csv);
        int row = 1 + RANDOM.nextInt(rows.size() - 2);
        Column c = outOfRange ? pick(List.of(Column.SCHEMA_VERSION, Column.REPETITION, Column.SEED, Column.CPU_COUNT, Column.VALUE,
                Column.CELL_ID))
                : pick(List.of(Column.SCHEMA_VERSION, Column.REPETITION, Column.SEED, Column.CPU_COUNT, Column.VALUE,
                Column.STARTED_AT, Column.MEASUREMENT, Column.STATUS, Column.CELL_ID, Column.SOURCE, Column.BACKEND));
        String value = outOfRange ? switch (c) {
            case SCHEMA_VERSION -> pick(List.of("1", "3", "0", digits(12)));
            case REPETITION -> pick(List.of("0", "-1", "2147483648", digits(11 + RANDOM.nextInt(40))));
            case SEED -> digits(20 + RANDOM.nextInt(30));
            case CPU_COUNT -> pick(List.of("0", "-4", digits(11)));
            case VALUE -> pick(List.of("1e999", "-1e400", digits(400)));
            default -> "x".repeat(201 + RANDOM.nextInt(1000));  // a cell id over 200 characters
        } : switch (c) {
            case SCHEMA_VERSION, REPETITION -> pick(List.of("two", "2.0", "1e1", " 2", "0x2", "", "++1"));
            case CPU_COUNT -> pick(List.of("two", "2.0", "1e1", " 2", "0x2", "++1"));  // empty is allowed: unknown
            case SEED -> pick(List.of("seven", "7.5", "1e3", "0x7"));
            case VALUE -> pick(List.of("NaN", "Infinity", "abc", "1,5", "1.5.2", "--1", "1d", "0x1p3", " "));
            case STARTED_AT -> pick(List.of("yesterday", "2025-13-01T00:00:00Z", "1735689600", ""));
            case MEASUREMENT -> pick(List.of("yes", "ON", "1", ""));
            case STATUS -> pick(List.of("OK", "good", "", "failed!"));
            case CELL_ID -> pick(List.of("", "a b", "../etc", "c/1", "c\u0001"));
            default -> "";  // source, backend: required
        };
        rows.get(row).set(c.ordinal(), value);
        return print(rows);
    }

    private static List<Bad> badDatasets() throws IOException {
        String csv = sampleCsv();
        List<Bad> bad = new ArrayList<>();
        for (int i = 0; i < 120; i++) bad.add(new Bad("truncation", csv.substring(0, RANDOM.nextInt(csv.length() - 1))));
        for (int i = 0; i < 110; i++) bad.add(new Bad("wrong type", wrongCell(csv, false)));
        for (int i = 0; i < 80; i++) bad.add(new Bad("out of range", wrongCell(csv, true)));
        for (int i = 0; i < 60; i++) {
            List<List<String>> rows = records(csv);
            switch (RANDOM.nextInt(3)) {
                case 0 -> rows.forEach(r -> r.add(RANDOM.nextInt(r.size() + 1), word()));  // an unknown column
                case 1 -> rows.getFirst().set(RANDOM.nextInt(rows.getFirst().size()), word());  // a renamed one
                default -> {  // two columns swapped
                    int a = RANDOM.nextInt(Column.NAMES.size());
                    int b = (a + 1 + RANDOM.nextInt(Column.NAMES.size() - 1)) % Column.NAMES.size();
                    rows.forEach(r -> java.util.Collections.swap(r, a, b));
                }
            }
            bad.add(new Bad("unknown column", print(rows)));
        }
        for (int i = 0; i < 60; i++) {
            byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
            int at = RANDOM.nextInt(bytes.length);
            byte[] mixed = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, mixed, 0, at);
            mixed[at] = (byte) (0xF8 | RANDOM.nextInt(8));
            System.arraycopy(bytes, at, mixed, at + 1, bytes.length - at);
            bad.add(new Bad("junk bytes", new String(mixed, StandardCharsets.ISO_8859_1)));
        }
        for (int i = 0; i < 30; i++) {
            List<List<String>> rows = records(csv);
            List<String> row = rows.get(1 + RANDOM.nextInt(rows.size() - 1));
            if (RANDOM.nextBoolean()) for (int k = 0; k < 1000 + RANDOM.nextInt(10_000); k++) row.add("9");  // thousands of extra cells
            else row.set(Column.VALUE.ordinal(), digits(1000 + RANDOM.nextInt(100_000)));
            bad.add(new Bad("huge value", print(rows)));
        }
        bad.add(new Bad("empty", ""));
        bad.add(new Bad("header only", csv.lines().findFirst().orElseThrow() + "\n"));
        bad.add(new Bad("unclosed quote", csv.replaceFirst("\"ENOENT", "\"ENOENT\"x")));
        return bad;
    }

    @Test
    void malformedDatasetFilesAreRefusedNamingFieldValueAndWhatIsAllowed() throws IOException {
        assertEquals(4, DatasetFile.parse(sampleCsv().getBytes(StandardCharsets.UTF_8), "valid.csv").rowCount());
        List<Bad> bad = badDatasets();
        int n = 0;
        for (Bad b : bad) {
            String where = "fuzz-" + n++ + ".csv";
            byte[] bytes = b.text().getBytes(b.kind().equals("junk bytes") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            try {
                DatasetFile.parse(bytes, where);
                fail(b.kind() + " #" + n + " was read as a dataset:\n" + abbreviated(b.text()));
            } catch (InvalidInputException e) {
                String m = e.getMessage();
                assertTrue(m.startsWith(where + " line ") || m.startsWith(where + ": "), () -> b.kind() + ": no place in " + m);
                assertTrue(m.contains(" = ") && m.contains("; allowed: "), () -> b.kind() + ": no field = value; allowed: " + m);
            }
        }
        System.out.println("BadInputFuzzTest: " + bad.size() + " malformed dataset files refused");
        assertTrue(bad.size() >= 400);
    }

    // ---- command lines ---------------------------------------------------------------------

    private static String junk() {
        StringBuilder s = new StringBuilder();
        for (int i = 0, n = 1 + RANDOM.nextInt(12); i < n; i++)
            s.append(RANDOM.nextInt(4) == 0 ? (char) (1 + RANDOM.nextInt(31)) : (char) (0x20 + RANDOM.nextInt(0x2fff)));
        return s.toString().replace("-", "~");
    }

    @Test
    void malformedCommandLinesGetUsageAndNoStackTrace(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("fuzz.toml");
        Files.writeString(file, EXPERIMENT);
        String f = file.toString();
        String d = tmp.resolve("datasets").toString();
        List<Supplier<String[]>> shapes = List.of(
                () -> new String[] {"run", f, "--" + word(), "--dry-run", "--datasets", d},
                () -> new String[] {"run", f, "-" + pick(List.of("a", "b", "x", "z", "q", "H", "v")), "--dry-run", "--datasets", d},
                () -> new String[] {"run", f, "--dry-run", "--datasets", d, "--backend"},
                () -> new String[] {"run", f, "--dry-run", "--backend", pick(List.of(word(), "kvm", "HOST", "", junk())), "--datasets", d},
                () -> new String[] {"run", f, "--dry-run", "--datasets", d, word()},
                () -> new String[] {"run"},
                () -> new String[] {"run", "--dry-run", "--datasets", d},
                () -> new String[] {"run", tmp.resolve(word()).toString(), "--dry-run", "--datasets", d},
                () -> new String[] {"run", tmp.resolve(junk()).toString(), "--dry-run", "--datasets", d},
                () -> new String[] {"run", "x".repeat(5000 + RANDOM.nextInt(20_000)), "--dry-run", "--datasets", d},
                () -> new String[] {"run", f, "--dry-run", "--datasets", d + "\u0000" + word()},
                () -> new String[] {"quickstart", pick(List.of(word(), "kvm", "Guest", junk()))},
                () -> new String[] {"quickstart", "guest", pick(List.of(word(), "1e3", "10s", "1.5", "-" + digits(3), digits(12), "0", "3601", junk()))},
                () -> new String[] {"quickstart", "guest", "10", word()},
                () -> new String[] {"quickstart", "--" + word()},
                () -> new String[] {word()},
                () -> new String[] {junk(), junk()},
                () -> new String[] {"--" + word()});
        int count = 350;
        for (int i = 0; i < count; i++) {
            String[] args = pick(shapes).get();
            String what = "args #" + i + " " + abbreviated(String.join(" | ", args));
            Outcome o = cli(args);
            assertNoStackTrace(what, o.err());
            if (o.status() == Gamerlab.NO_INPUT)  // a path given for an experiment file that is not there
                assertTrue(o.err().contains("no experiment file there") && o.err().contains("give the path of one"), () -> what + ": " + o.err());
            else if (o.status() == Gamerlab.BAD_DATA)  // a value picocli took, refused by the command (e.g. SECONDS 0)
                assertTrue(o.err().contains(" = ") && o.err().contains("; allowed: "), () -> what + ": " + o.err());
            else
                assertTrue(o.status() == Gamerlab.BAD_ARGUMENT && o.err().contains("Usage: "),
                        () -> what + " was not refused with the usage: " + o.status() + " " + o.err() + o.out());
            assertFalse(Files.exists(Path.of(d)), () -> what + " left files in " + d);
        }
        System.out.println("BadInputFuzzTest: " + count + " malformed command lines refused");
    }

}
