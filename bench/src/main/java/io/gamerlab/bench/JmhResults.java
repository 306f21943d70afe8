package io.gamerlab.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A JMH JSON result file as a Tablesaw table, in long format: <b>one row per metric</b>.
 *
 * <p>Columns: {@link #COLUMNS}. {@code benchmark} is JMH's name without the package
 * ({@code FalseSharingBench.ctx}); {@code params} is {@code key=value} pairs joined by commas in
 * JMH's order ({@code mode=cas,writers=2}, empty without params). {@code metric} is
 * {@code primary} for the benchmark's score; every JMH secondary metric is a row of its own
 * named as JMH names it ({@code read}/{@code write} per method of a group, the
 * {@code @AuxCounters} {@code batches}/{@code events}). Where a row set has both {@code batches}
 * and {@code events}, two derived rows follow, computed as the Disruptor's perf tests do:
 * {@code batch_percent} = 100 (1 - batches/events), unit %, and {@code avg_batch_size} =
 * events/batches; their {@code score_error} is NaN, as is that of a run with one iteration.
 *
 * <p>Provenance columns repeat on every row: {@code cpu_model}, {@code kernel}, {@code git_commit}
 * from the runner's {@code .provenance.properties} beside the JSON (this host and repository if
 * it is missing), {@code jdk} from JMH's {@code jdkVersion} (the benchmark JVM's
 * {@code java.version}), {@code backend} = {@code host-jvm}, {@code clock} = {@code host}.
 */
public final class JmhResults {

    public static final List<String> COLUMNS = List.of("run_id", "benchmark", "mode", "params", "metric",
            "score", "score_error", "unit", "cpu_model", "kernel", "jdk", "git_commit", "backend", "clock");

    private static final String PACKAGE = "io.gamerlab.bench.";

    private JmhResults() { }

    /** Reads a JMH JSON result file (and its provenance file, if there is one). */
    public static Table load(Path json) throws IOException {
        JsonArray runs;
        try (Reader r = Files.newBufferedReader(json)) {
            runs = JsonParser.parseReader(r).getAsJsonArray();
        }
        Path sidecar = HostProvenance.sidecarOf(json);
        HostProvenance prov = Files.exists(sidecar) ? HostProvenance.read(sidecar)
                : HostProvenance.here(HostProvenance.repositoryRoot());
        String runId = json.getFileName().toString().replaceFirst("\\.json$", "");

        Table t = Table.create(runId);
        for (String c : COLUMNS)
            t.addColumns(c.equals("score") || c.equals("score_error") ? DoubleColumn.create(c) : StringColumn.create(c));

        for (JsonElement e : runs) {
            JsonObject run = e.getAsJsonObject();
            String benchmark = run.get("benchmark").getAsString();
            if (benchmark.startsWith(PACKAGE)) benchmark = benchmark.substring(PACKAGE.length());
            String mode = run.get("mode").getAsString();
            String params = params(run);
            String jdk = run.has("jdkVersion") ? run.get("jdkVersion").getAsString() : prov.jdk();
            Map<String, Double> byMetric = new LinkedHashMap<>();

            JsonObject primary = run.getAsJsonObject("primaryMetric");
            byMetric.put("primary", number(primary.get("score")));
            add(t, runId, benchmark, mode, params, "primary", primary, prov, jdk);
            if (run.has("secondaryMetrics")) {
                for (Map.Entry<String, JsonElement> m : run.getAsJsonObject("secondaryMetrics").entrySet()) {
                    JsonObject metric = m.getValue().getAsJsonObject();
                    byMetric.put(m.getKey(), number(metric.get("score")));
                    add(t, runId, benchmark, mode, params, m.getKey(), metric, prov, jdk);
                }
            }
            Double batches = byMetric.get("batches"), events = byMetric.get("events");
            if (batches != null && events != null && batches > 0 && events > 0) {
                row(t, runId, benchmark, mode, params, "batch_percent", 100 * (1 - batches / events), Double.NaN, "%", prov, jdk);
                row(t, runId, benchmark, mode, params, "avg_batch_size", events / batches, Double.NaN, "events/batch", prov, jdk);
            }
        }
        return t;
    }

    private static String params(JsonObject run) {
        if (!run.has("params")) return "";
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, JsonElement> p : run.getAsJsonObject("params").entrySet())
            pairs.add(p.getKey() + "=" + p.getValue().getAsString());
        return String.join(",", pairs);
    }

    private static double number(JsonElement e) {
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();   // JMH writes "NaN" as a string
    }

    private static void add(Table t, String runId, String benchmark, String mode, String params, String metric,
                            JsonObject m, HostProvenance prov, String jdk) {
        row(t, runId, benchmark, mode, params, metric, number(m.get("score")), number(m.get("scoreError")),
                m.has("scoreUnit") ? m.get("scoreUnit").getAsString() : "", prov, jdk);
    }

    private static void row(Table t, String runId, String benchmark, String mode, String params, String metric,
                            double score, double error, String unit, HostProvenance prov, String jdk) {
        t.stringColumn("run_id").append(runId);
        t.stringColumn("benchmark").append(benchmark);
        t.stringColumn("mode").append(mode);
        t.stringColumn("params").append(params);
        t.stringColumn("metric").append(metric);
        t.doubleColumn("score").append(score);
        t.doubleColumn("score_error").append(error);
        t.stringColumn("unit").append(unit);
        t.stringColumn("cpu_model").append(prov.cpuModel());
        t.stringColumn("kernel").append(prov.kernel());
        t.stringColumn("jdk").append(jdk);
        t.stringColumn("git_commit").append(prov.gitCommit());
        t.stringColumn("backend").append(prov.backend());
        t.stringColumn("clock").append(prov.clock());
    }

    // ---------------------------------------------------------------- the ratios that matter

    /**
     * The comparisons the benches exist for, side by side, all from the one table (one run).
     * A cell whose benchmark the run did not include reads {@code n/a}.
     */
    public static String ratios(Table t) {
        StringBuilder out = new StringBuilder();
        Row first = t.rowCount() > 0 ? t.row(0) : null;
        out.append("JMH run ").append(t.name());
        if (first != null)
            out.append(": backend=").append(first.getString("backend")).append(" clock=").append(first.getString("clock"))
                    .append(" cpu=").append(first.getString("cpu_model")).append(" kernel=").append(first.getString("kernel"))
                    .append(" jdk=").append(first.getString("jdk")).append(" git=").append(first.getString("git_commit"));
        out.append('\n');

        out.append("\nFalse sharing: 1 writer + 1 reader on one task context (ops/us, higher is better)\n");
        out.append(String.format(Locale.ROOT, "  %-10s %12s %12s %12s%n", "layout", "both", "reader", "writer"));
        for (String layout : List.of("packed", "split", "padded")) {
            Map<String, String> p = Map.of("layout", layout);
            out.append(String.format(Locale.ROOT, "  %-10s %12s %12s %12s%n", layout,
                    fmt(score(t, "FalseSharingBench.ctx", "primary", p)), fmt(score(t, "FalseSharingBench.ctx", "read", p)),
                    fmt(score(t, "FalseSharingBench.ctx", "write", p))));
        }
        for (String other : List.of("split", "padded")) {
            out.append(String.format(Locale.ROOT, "  %-14s", "packed/" + other));
            for (String metric : List.of("primary", "read", "write"))
                out.append(String.format(Locale.ROOT, " %s=%s", metric.equals("primary") ? "both" : metric,
                        fmt(ratio(score(t, "FalseSharingBench.ctx", metric, Map.of("layout", "packed")),
                                score(t, "FalseSharingBench.ctx", metric, Map.of("layout", other))))));
            out.append('\n');
        }

        out.append("\nRing writers: one consumer draining (events/us, higher is better)\n");
        for (String writers : values(t, "RingWritersBench.drain", "writers", "2")) {
            out.append(String.format(Locale.ROOT, "  %-10s %12s %12s %10s %10s   (writers=%s; single has 1)%n",
                    "mode", "events/us", "vs single", "batch %", "avg batch", writers));
            double single = score(t, "RingWritersBench.drain", "primary", Map.of("mode", "single", "writers", writers));
            for (String mode : List.of("single", "cas", "lock", "perWriter")) {
                Map<String, String> p = Map.of("mode", mode, "writers", writers);
                double s = score(t, "RingWritersBench.drain", "primary", p);
                out.append(String.format(Locale.ROOT, "  %-10s %12s %12s %10s %10s%n", mode, fmt(s), fmt(ratio(s, single)),
                        fmt(score(t, "RingWritersBench.drain", "batch_percent", p)),
                        fmt(score(t, "RingWritersBench.drain", "avg_batch_size", p))));
            }
        }

        out.append("\nAccess pattern over 64-byte per-CPU records (ns/element, lower is better)\n");
        out.append(String.format(Locale.ROOT, "  %-10s %12s %12s %12s %12s%n", "size", "sequential", "strided", "pointerChase", "chase/seq"));
        for (String size : List.of("L1", "L2", "beyondLLC")) {
            Map<String, String> p = Map.of("size", size);
            double seq = score(t, "AccessPatternBench.sequential", "primary", p);
            double chase = score(t, "AccessPatternBench.pointerChase", "primary", p);
            out.append(String.format(Locale.ROOT, "  %-10s %12s %12s %12s %12s%n", size, fmt(seq),
                    fmt(score(t, "AccessPatternBench.strided", "primary", p)), fmt(chase), fmt(ratio(chase, seq))));
        }

        out.append("\nAggregation: N producers -> 1 consumer, checksum verified (events/us, higher is better)\n");
        out.append(String.format(Locale.ROOT, "  %-10s %12s %12s %12s %14s %14s%n", "producers", "disruptor", "abq", "clq",
                "disruptor/abq", "disruptor/clq"));
        for (String producers : values(t, "AggregationBench.run", "producers", "1", "2")) {
            double d = score(t, "AggregationBench.run", "primary", Map.of("impl", "disruptor", "producers", producers));
            double abq = score(t, "AggregationBench.run", "primary", Map.of("impl", "abq", "producers", producers));
            double clq = score(t, "AggregationBench.run", "primary", Map.of("impl", "clq", "producers", producers));
            out.append(String.format(Locale.ROOT, "  %-10s %12s %12s %12s %14s %14s%n", producers, fmt(d), fmt(abq), fmt(clq),
                    fmt(ratio(d, abq)), fmt(ratio(d, clq))));
        }
        return out.toString();
    }

    /** The score of the first row matching benchmark, metric and (a subset of) params; NaN if none. */
    public static double score(Table t, String benchmark, String metric, Map<String, String> params) {
        for (Row r : t) {
            if (!r.getString("benchmark").equals(benchmark) || !r.getString("metric").equals(metric)) continue;
            if (parseParams(r.getString("params")).entrySet().containsAll(params.entrySet())) return r.getDouble("score");
        }
        return Double.NaN;
    }

    static Map<String, String> parseParams(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text.isEmpty()) return m;
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            m.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return m;
    }

    /** The values a param took for a benchmark in this run, or the defaults when it is absent. */
    private static Set<String> values(Table t, String benchmark, String param, String... defaults) {
        Set<String> found = new LinkedHashSet<>();
        for (Row r : t)
            if (r.getString("benchmark").equals(benchmark)) {
                String v = parseParams(r.getString("params")).get(param);
                if (v != null) found.add(v);
            }
        return found.isEmpty() ? new LinkedHashSet<>(List.of(defaults)) : found;
    }

    private static double ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
