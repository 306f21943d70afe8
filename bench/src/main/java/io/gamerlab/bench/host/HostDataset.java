package io.gamerlab.bench.host;

import io.gamerlab.bench.HostProvenance;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A host bench run's CSV, long format (one row per measured quantity, like
 * io.gamerlab.measure.RunTable): every row starts with the run's provenance ({@link #PROVENANCE}),
 * then the trial's coordinates (the bench's own columns), then the measurement
 * ({@link #MEASUREMENT}).
 *
 * <p>Written as the run goes, so a crash loses at most the trial in flight: the file is created
 * new (an existing file is never overwritten), its header and the run's settings are written
 * first, and each trial's rows are appended as one write of complete lines followed by fsync.
 * Rows added to a trial later (derived from the whole run) are appended the same way at the end.
 * A run that ended writes {@code run,completed} last; a file without it is the record of a run
 * that stopped early, every line of it complete.
 *
 * @param <T> the bench's trial type
 */
public final class HostDataset<T extends TrialMetrics<?>> implements AutoCloseable {
    public static final List<String> PROVENANCE = List.of("run_id", "backend", "clock", "kernel", "cpu_model", "jdk", "git_commit", "started_at");
    public static final List<String> MEASUREMENT = List.of("source", "metric", "unit", "value", "status", "note");
    /** The metric of the {@code run} row written when a run ends. */
    public static final String COMPLETED = "completed";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** Where and when the run happened. backend and clock are both "host": BPF in the host kernel, real time. */
    public record RunInfo(String runId, String kernel, String cpuModel, String jdk, String gitCommit, Instant startedAt) {
        public static final String BACKEND = "host";
        public static final String CLOCK = "host";

        /** A run starting now on this host: its id is the start time and the host name. */
        public static RunInfo startingNow(HostProvenance host) {
            Instant now = Instant.now();
            return new RunInfo(timestamp(now) + "-" + HostProvenance.hostName(), host.kernel(), host.cpuModel(), host.jdk(), host.gitCommit(), now);
        }

        List<String> cells() {
            return List.of(runId, BACKEND, CLOCK, kernel, cpuModel, jdk, gitCommit, startedAt.toString());
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final RunInfo info;
    private final List<String> coordinateColumns;
    private final Function<? super T, List<String>> coordinates;
    /** Per trial (by identity), how many of its metrics are in the file already. */
    private final Map<T, Integer> written = new IdentityHashMap<>();

    private HostDataset(Path file, FileChannel channel, RunInfo info, List<String> coordinateColumns, Function<? super T, List<String>> coordinates) {
        this.file = file;
        this.channel = channel;
        this.info = info;
        this.coordinateColumns = List.copyOf(coordinateColumns);
        this.coordinates = coordinates;
    }

    /**
     * Creates {@code out} (and its directory) with the header and the run's {@code settings}, on
     * disk before this returns. Fails, naming the file, if it exists: a dataset is never overwritten.
     *
     * @param coordinates one cell per coordinate column for a trial
     */
    public static <T extends TrialMetrics<?>> HostDataset<T> create(Path out, RunInfo info, List<String> coordinateColumns,
                                                                   Function<? super T, List<String>> coordinates, Map<String, String> settings)
            throws IOException {
        Path file = out.toAbsolutePath();
        Files.createDirectories(file.getParent());
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("dataset " + file + " exists already: a dataset is never overwritten; name another file with --out");
        }
        HostDataset<T> dataset = new HostDataset<>(file, channel, info, coordinateColumns, coordinates);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            StringBuilder text = new StringBuilder(String.join(",", columns(coordinateColumns))).append('\n');
            dataset.settingRows(text, settings);
            dataset.append(text);
            syncDirectory(file.getParent());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return dataset;
    }

    public Path file() {
        return file;
    }

    /** Appends the trial's metrics not yet in the file (all of them the first time), durably. */
    public void append(T trial) throws IOException {
        List<String> at = coordinates.apply(trial);
        if (at.size() != coordinateColumns.size())
            throw new IllegalArgumentException(trial + ": " + at.size() + " coordinates for columns " + coordinateColumns);
        List<TrialMetrics.Metric> metrics = trial.metrics();
        int from = written.getOrDefault(trial, 0);
        if (from == metrics.size()) return;
        StringBuilder text = new StringBuilder();
        for (TrialMetrics.Metric m : metrics.subList(from, metrics.size()))
            row(text, at, m.source(), m.name(), m.unit(), m.value(), m.status(), m.note());
        append(text);
        written.put(trial, metrics.size());
    }

    /** Appends {@code run} rows: the setting's name as metric, its text as note, coordinates empty. */
    public void settings(Map<String, String> settings) throws IOException {
        StringBuilder text = new StringBuilder();
        settingRows(text, settings);
        append(text);
    }

    /** Appends the {@code run,completed} row (with how many trials, and how long) and closes the file. */
    public void complete(int trials, double elapsedSeconds) throws IOException {
        Map<String, String> end = new LinkedHashMap<>();
        end.put("trials", Integer.toString(trials));
        end.put("elapsed_s", String.format(java.util.Locale.ROOT, "%.1f", elapsedSeconds));
        end.put(COMPLETED, "every planned trial ran and its rows are above");
        settings(end);
        close();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void settingRows(StringBuilder text, Map<String, String> settings) {
        List<String> none = coordinateColumns.stream().map(c -> "").toList();
        for (Map.Entry<String, String> e : settings.entrySet()) row(text, none, "run", e.getKey(), "", Double.NaN, TrialMetrics.OK, e.getValue());
    }

    /** Complete lines, in one write, then fsync: the file never holds half a row of a trial that was written. */
    private void append(CharSequence text) throws IOException {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
        while (bytes.hasRemaining()) channel.write(bytes);
        channel.force(false);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /**
     * The settings every host bench run records first (as {@code run} rows): mode, seed,
     * repetitions and phase lengths; the bench adds its own after them.
     */
    public static Map<String, String> runSettings(boolean smoke, long seed, int repetitions, double durationSeconds, double warmupSeconds) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mode", smoke ? "smoke" : "full");
        settings.put("seed", Long.toString(seed));
        settings.put("repetitions", Integer.toString(repetitions));
        settings.put("duration_s", Double.toString(durationSeconds));
        settings.put("warmup_s", warmupSeconds + " (one warm-up phase per trial, discarded)");
        return settings;
    }

    /** Provenance columns, then the bench's coordinate columns, then the measurement columns. */
    public static List<String> columns(List<String> coordinates) {
        List<String> all = new ArrayList<>(PROVENANCE);
        all.addAll(coordinates);
        all.addAll(MEASUREMENT);
        return List.copyOf(all);
    }

    /** {@code datasets/<experiment>/<timestamp>-<host>.csv} under the repository root. */
    public static Path defaultFile(Path root, String experiment) {
        return root.resolve("datasets").resolve(experiment).resolve(timestamp(Instant.now()) + "-" + HostProvenance.hostName() + ".csv");
    }

    /** UTC, to the second, e.g. 20261126T163032Z: how runs and their files are named. */
    public static String timestamp(Instant t) {
        return ZonedDateTime.ofInstant(t, ZoneOffset.UTC).format(STAMP);
    }

    private void row(StringBuilder text, List<String> at, String source, String metric, String unit, double value, String status, String note) {
        List<String> cells = new ArrayList<>(info.cells());
        cells.addAll(at);
        cells.addAll(List.of(source, metric, unit, number(value), status, note));
        boolean first = true;
        for (String cell : cells) {
            if (!first) text.append(',');
            text.append(escape(cell));
            first = false;
        }
        text.append('\n');
    }

    /** Integral values without a fraction; NaN (not measured) as an empty cell. */
    public static String number(double v) {
        if (Double.isNaN(v)) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    static String escape(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) return cell;
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
