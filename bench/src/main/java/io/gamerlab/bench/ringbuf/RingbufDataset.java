package io.gamerlab.bench.ringbuf;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run's CSV, long format (one row per measured quantity, like io.gamerlab.measure.RunTable),
 * every row with its provenance and the trial's coordinates. Written to a temporary file beside
 * the target and renamed into place, so a run that fails leaves no partial file.
 */
final class RingbufDataset {
    static final List<String> COLUMNS = List.of("run_id", "backend", "clock", "kernel", "cpu_model", "jdk", "git_commit", "started_at",
            "variant", "consumer", "producers", "notify", "repetition", "trial", "source", "metric", "unit", "value", "status", "note");

    /** Where and when the run happened. backend and clock are both "host": BPF in the host kernel, real time. */
    record RunInfo(String runId, String kernel, String cpuModel, String jdk, String gitCommit, Instant startedAt) {
        static final String BACKEND = "host";
        static final String CLOCK = "host";
    }

    private RingbufDataset() {
    }

    /** Writes every trial's metrics, then the run's own settings (source {@code run}). */
    static void write(Path out, RunInfo info, List<TrialResult> trials, Map<String, String> settings) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp)) {
                w.write(String.join(",", COLUMNS));
                w.write('\n');
                for (TrialResult t : trials) {
                    Config c = t.config;
                    for (TrialResult.Metric m : t.metrics()) {
                        row(w, info, c.variant(), c.consumer().label(), Integer.toString(c.producers()), c.notifyLabel(),
                                Integer.toString(t.repetition), Integer.toString(t.order), m.source(), m.name(), m.unit(), m.value(), m.status(), m.note());
                    }
                }
                for (Map.Entry<String, String> e : settings.entrySet()) {
                    row(w, info, "", "", "", "", "", "", "run", e.getKey(), "", Double.NaN, "ok", e.getValue());
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

    private static void row(Writer w, RunInfo info, String variant, String consumer, String producers, String notify, String repetition,
                            String trial, String source, String metric, String unit, double value, String status, String note) throws IOException {
        List<String> cells = new ArrayList<>(List.of(info.runId(), RunInfo.BACKEND, RunInfo.CLOCK, info.kernel(), info.cpuModel(), info.jdk(),
                info.gitCommit(), info.startedAt().toString(), variant, consumer, producers, notify, repetition, trial, source, metric, unit,
                number(value), status, note));
        StringBuilder line = new StringBuilder();
        for (String cell : cells) {
            if (!line.isEmpty()) line.append(',');
            line.append(escape(cell));
        }
        w.write(line.append('\n').toString());
    }

    /** Integral values without a fraction; NaN (not measured) as an empty cell. */
    static String number(double v) {
        if (Double.isNaN(v)) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    static String escape(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0) return cell;
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
