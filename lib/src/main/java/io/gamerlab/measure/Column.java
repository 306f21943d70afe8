package io.gamerlab.measure;

import io.gamerlab.util.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import tech.tablesaw.api.ColumnType;

/**
 * The dataset schema, one constant per column in file order: its name, its type and what a cell
 * may hold. Every dataset gamerlab writes (experiment cells, quickstart runs, host-bench trials)
 * has exactly these columns, in long format: one row per measured quantity, each row carrying its
 * provenance (the columns before {@link #SOURCE}). datasets/README.md documents them; a file whose
 * header differs is refused ({@link #checkHeader}).
 */
public enum Column {
    SCHEMA_VERSION("schema_version", Kind.VERSION),
    EXPERIMENT("experiment", Kind.TEXT),
    CELL_ID("cell_id", Kind.NAME),
    REPETITION("repetition", Kind.POSITIVE),
    SEED("seed", Kind.SEED),
    MEASUREMENT("measurement", Kind.ON_OFF),
    VARIANT("variant", Kind.REQUIRED),
    BPF_SHA256("bpf_sha256", Kind.TEXT),
    WORKLOAD("workload", Kind.REQUIRED),
    WORKLOAD_PARAMS("workload_params", Kind.TEXT),
    TUNABLES("tunables", Kind.TEXT),
    BACKEND("backend", Kind.REQUIRED),
    CLOCK("clock", Kind.REQUIRED),
    KERNEL("kernel", Kind.TEXT),
    CPU_MODEL("cpu_model", Kind.TEXT),
    CPU_COUNT("cpu_count", Kind.COUNT_OR_EMPTY),
    GIT_COMMIT("git_commit", Kind.TEXT),
    JDK("jdk", Kind.TEXT),
    LIBBPF("libbpf", Kind.TEXT),
    NODE("node", Kind.TEXT),
    SLURM_JOB_ID("slurm_job_id", Kind.ID_OR_EMPTY),
    SLURM_ARRAY_TASK_ID("slurm_array_task_id", Kind.INDEX_OR_EMPTY),
    STARTED_AT("started_at", Kind.INSTANT),
    SOURCE("source", Kind.REQUIRED),
    METRIC("metric", Kind.REQUIRED),
    UNIT("unit", Kind.TEXT),
    VALUE("value", Kind.VALUE),
    STATUS("status", Kind.STATUS),
    NOTE("note", Kind.TEXT);

    /** The schema's version, in every row's first column; bumped whenever a column changes. */
    public static final int VERSION = 2;

    /** The column names in file order. */
    public static final List<String> NAMES = Arrays.stream(values()).map(Column::label).toList();

    /** What a row's {@code status} may say. */
    public static final Set<String> STATUSES = Status.ALL;

    /**
     * Schema 1, written before datasets had a version column (RunTable's columns until then); a
     * file with this header gets an error saying it is older, not just different.
     */
    static final List<String> VERSION_1 = List.of("run_id", "backend", "clock", "kernel", "cpu_model", "variant",
            "git_commit", "started_at", "workload", "source", "metric", "unit", "value", "status", "note");

    /** The values of {@link #STATUS}. */
    public static final class Status {
        /** Measured; {@code value} holds it. */
        public static final String OK = "ok";
        /** The machine cannot measure it; {@code note} says why, {@code value} is empty. */
        public static final String UNSUPPORTED = "unsupported";
        /** The cell (or a check) failed; {@code note} says why. Never a result. */
        public static final String FAILED = "failed";
        /** A setting, not a measurement: {@code note} holds its text. */
        public static final String SETTING = "setting";

        /** A setting changed during the run: {@code value} holds its new value, {@code note} when and from what. */
        public static final String CHANGED = "changed";

        static final Set<String> ALL = Set.of(OK, UNSUPPORTED, FAILED, SETTING, CHANGED);

        private Status() { }
    }

    private final String label;
    private final Kind kind;

    Column(String label, Kind kind) {
        this.label = label;
        this.kind = kind;
    }

    public String label() {
        return label;
    }

    /** How Tablesaw holds the column: numbers as numbers, everything else as text. */
    public ColumnType type() {
        return kind.type;
    }

    /**
     * Checks one cell's text as read from a file; throws an {@link InvalidInputException} naming
     * the column, the value and what it may hold.
     */
    public void check(String text) {
        if (!kind.accepts.test(text)) throw new InvalidInputException(label, text, "does not fit this column", kind.allowed);
    }

    /**
     * Throws unless {@code header} is this schema's, saying whether the file is of an older
     * schema, a newer one, or no gamerlab dataset at all.
     */
    public static void checkHeader(List<String> header) {
        if (header.equals(NAMES)) return;
        if (header.equals(VERSION_1))
            throw new InvalidInputException("header", String.join(",", header),
                    "this is a dataset of schema version 1 (written by an older gamerlab, before datasets had a schema_version column);"
                            + " this gamerlab reads version " + VERSION + ": run the experiment again to get it",
                    "the version " + VERSION + " header " + String.join(",", NAMES));
        if (header.isEmpty() || !header.getFirst().equals(SCHEMA_VERSION.label))
            throw new InvalidInputException("header", String.join(",", header),
                    "not a gamerlab dataset (its first column is not schema_version)", "the version " + VERSION + " header "
                            + String.join(",", NAMES));
        for (int i = 0; i < Math.max(header.size(), NAMES.size()); i++) {
            String expected = i < NAMES.size() ? NAMES.get(i) : "(no column)";
            String found = i < header.size() ? header.get(i) : "(no column)";
            if (!expected.equals(found))
                throw new InvalidInputException("header column " + (i + 1), found,
                        "differs from schema version " + VERSION + ", which has " + expected + " there"
                                + " (a file of another schema version, or an edited header)",
                        "the version " + VERSION + " header " + String.join(",", NAMES));
        }
    }

    private enum Kind {
        VERSION(ColumnType.INTEGER, "the schema version " + Column.VERSION, t -> t.equals(Integer.toString(Column.VERSION))),
        TEXT(ColumnType.STRING, "any text", t -> true),
        REQUIRED(ColumnType.STRING, "non-empty text", t -> !t.isEmpty()),
        NAME(ColumnType.STRING, "a name of letters, digits, '.', '_' and '-'", t -> t.matches("[A-Za-z0-9._-]{1,200}")),
        POSITIVE(ColumnType.INTEGER, "a whole number from 1 to " + Integer.MAX_VALUE, Kind::positive),
        COUNT_OR_EMPTY(ColumnType.INTEGER, "a whole number from 1 to " + Integer.MAX_VALUE + ", or empty where unknown",
                t -> t.isEmpty() || positive(t)),
        ID_OR_EMPTY(ColumnType.LONG, "a whole number from 1, or empty where there is none", t -> t.isEmpty() || t.matches("[1-9][0-9]{0,17}")),
        INDEX_OR_EMPTY(ColumnType.INTEGER, "a whole number from 0 to " + Integer.MAX_VALUE + ", or empty where there is none",
                t -> t.isEmpty() || t.equals("0") || positive(t)),
        SEED(ColumnType.LONG, "a whole number (64-bit), or empty for none", t -> t.isEmpty() || isLong(t)),
        ON_OFF(ColumnType.STRING, "on or off", t -> t.equals("on") || t.equals("off")),
        INSTANT(ColumnType.STRING, "an ISO-8601 UTC time such as 2026-01-02T03:04:05Z", Kind::instant),
        VALUE(ColumnType.DOUBLE, "a finite decimal number, or empty for no value", t -> t.isEmpty() || finite(t)),
        STATUS(ColumnType.STRING, "one of " + List.of(Status.OK, Status.UNSUPPORTED, Status.FAILED, Status.SETTING),
                t -> Status.ALL.contains(t));

        final ColumnType type;
        final String allowed;
        final Predicate<String> accepts;

        Kind(ColumnType type, String allowed, Predicate<String> accepts) {
            this.type = type;
            this.allowed = allowed;
            this.accepts = accepts;
        }

        private static boolean positive(String t) {
            if (!t.matches("[0-9]{1,10}")) return false;
            long v = Long.parseLong(t);
            return v >= 1 && v <= Integer.MAX_VALUE;
        }

        private static boolean isLong(String t) {
            try {
                Long.parseLong(t);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        private static boolean finite(String t) {
            // Digits, sign, point and exponent only: Java would also take "NaN", "Infinity" and "1d".
            if (!t.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) return false;
            return Double.isFinite(Double.parseDouble(t));
        }

        private static boolean instant(String t) {
            try {
                Instant.parse(t);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
    }
}
