package io.gamerlab.bench.host;

import io.gamerlab.bench.HostProvenance;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A host bench run's CSV, long format (one row per measured quantity, like
 * io.gamerlab.measure.RunTable): every row starts with the run's provenance ({@link #PROVENANCE}),
 * then the trial's coordinates (the bench's own columns), then the measurement
 * ({@link #MEASUREMENT}). Written to a temporary file beside the target and renamed into place, so
 * a run that fails leaves no partial file.
 */
public final class HostDataset {
    public static final List<String> PROVENANCE = List.of("run_id", "backend", "clock", "kernel", "cpu_model", "jdk", "git_commit", "started_at");
    public static final List<String> MEASUREMENT = List.of("source", "metric", "unit", "value", "status", "note");
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

    private HostDataset() {
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

    /**
     * Writes every trial's metrics, each row with the trial's coordinates ({@code coordinates}
     * gives one cell per coordinate column), then the run's own settings: source {@code run},
     * coordinates empty, the setting's name as metric and its text as note.
     */
    public static <C, T extends TrialMetrics<C>> void write(Path out, RunInfo info, List<String> coordinateColumns, List<T> trials,
                                                            Function<? super T, List<String>> coordinates, Map<String, String> settings)
            throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
        List<String> noCoordinates = coordinateColumns.stream().map(c -> "").toList();
        try {
            try (Writer w = Files.newBufferedWriter(tmp)) {
                w.write(String.join(",", columns(coordinateColumns)));
                w.write('\n');
                for (T t : trials) {
                    List<String> at = coordinates.apply(t);
                    if (at.size() != coordinateColumns.size())
                        throw new IllegalArgumentException(t + ": " + at.size() + " coordinates for columns " + coordinateColumns);
                    for (TrialMetrics.Metric m : t.metrics()) row(w, info, at, m.source(), m.name(), m.unit(), m.value(), m.status(), m.note());
                }
                for (Map.Entry<String, String> e : settings.entrySet()) {
                    row(w, info, noCoordinates, "run", e.getKey(), "", Double.NaN, TrialMetrics.OK, e.getValue());
                }
            }
            // createTempFile makes it owner-only; a dataset is for everyone to read
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void row(Writer w, RunInfo info, List<String> coordinates, String source, String metric, String unit, double value,
                            String status, String note) throws IOException {
        List<String> cells = new ArrayList<>(info.cells());
        cells.addAll(coordinates);
        cells.addAll(List.of(source, metric, unit, number(value), status, note));
        StringBuilder line = new StringBuilder();
        for (String cell : cells) {
            if (!line.isEmpty()) line.append(',');
            line.append(escape(cell));
        }
        w.write(line.append('\n').toString());
    }

    /** Integral values without a fraction; NaN (not measured) as an empty cell. */
    public static String number(double v) {
        if (Double.isNaN(v)) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    static String escape(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0) return cell;
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
