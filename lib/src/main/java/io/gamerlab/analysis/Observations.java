package io.gamerlab.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.selection.Selection;

/**
 * One dataset directory's measurements as independent repetitions, in one long table whatever
 * wrote them, so a {@link Measure} can pick its control and variant the same way from any of them:
 * <ul>
 *   <li>datasets of cells ({@link DatasetRows}: experiments, and the host benches' runs): a
 *       <b>series</b> is one experiment or bench run ({@code run_id}), a repetition one cell
 *       ({@code repetition}); {@code metric} is {@code source.metric};</li>
 *   <li>JMH JSON ({@code datasets/jmh}, provenance from the {@code .provenance.properties} beside
 *       it): a series is one file, a repetition one fork (the mean of its measured iterations;
 *       iterations of one JVM are not independent), {@code metric} is {@code primary} or a
 *       secondary metric's name, and {@code benchmark}, {@code jmh_mode} and each parameter are
 *       configuration columns.</li>
 * </ul>
 * Columns: {@link #COLUMNS}, then the configuration columns (variant, workload, tunables,
 * measurement and each workload parameter: consumer, producers, ...; for JMH, the benchmark, mode
 * and parameters), then one column per variant axis the variant texts name.
 */
public final class Observations {

    /** The columns every dataset gets; {@code order} sorts series from oldest to newest. */
    public static final List<String> COLUMNS = List.of("series", "order", "backend", "clock", "repetition",
            "metric", "unit", "value", "status", "note");

    private final String name;
    private final Table rows;
    private final List<String> config;

    private Observations(String name, Table rows, List<String> config) {
        this.name = name;
        this.rows = rows;
        this.config = List.copyOf(config);
    }

    /** Whether {@code dir} holds anything this class reads (cells, or JMH *.json). */
    public static boolean present(Path dir) {
        return !jmhFiles(dir).isEmpty() || DatasetRows.present(dir);
    }

    /** Every dataset in {@code dir}; fails naming the directory if it holds none, or a file that cannot be read. */
    public static Observations load(Path dir) {
        if (!present(dir))
            throw new IllegalArgumentException("no dataset (cells, or JMH *.json) in " + dir.toAbsolutePath());
        List<Map<String, List<String>>> parts = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (Path file : jmhFiles(dir)) {
            Map<String, List<String>> columns = new LinkedHashMap<>();
            List<Double> numbers = new ArrayList<>();
            readJmh(file, columns, numbers);
            parts.add(columns);
            values.add(numbers.stream().mapToDouble(Double::doubleValue).toArray());
        }
        if (DatasetRows.present(dir)) {
            Map<String, List<String>> columns = new LinkedHashMap<>();
            List<Double> numbers = new ArrayList<>();
            readCells(DatasetRows.load(dir), columns, numbers);
            parts.add(columns);
            values.add(numbers.stream().mapToDouble(Double::doubleValue).toArray());
        }
        // The union of the files' configuration columns, in first-seen order; a file without one has "" there.
        LinkedHashSet<String> names = new LinkedHashSet<>(COLUMNS);
        parts.forEach(p -> names.addAll(p.keySet()));
        Table all = Table.create(dir.getFileName().toString());
        for (String column : names) {
            if (column.equals("value")) {
                all.addColumns(DoubleColumn.create("value", values.stream().flatMapToDouble(Arrays::stream).toArray()));
                continue;
            }
            StringColumn c = StringColumn.create(column);
            for (int i = 0; i < parts.size(); i++) {
                List<String> part = parts.get(i).get(column);
                int n = values.get(i).length;
                for (int r = 0; r < n; r++) c.append(part == null ? "" : part.get(r));
            }
            all.addColumns(c);
        }
        List<String> config = names.stream().filter(n -> !COLUMNS.contains(n)).toList();
        HostBenchResults.addAxisColumns(all);
        return new Observations(dir.getFileName().toString(), all, config);
    }

    private static List<Path> jmhFiles(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list datasets in " + dir.toAbsolutePath(), e);
        }
    }

    /** Cells: a series is one run (an experiment, or a bench run), a repetition one cell. */
    private static void readCells(Table t, Map<String, List<String>> out, List<Double> numbers) {
        int n = t.rowCount();
        out.put("series", text(t, DatasetRows.RUN));
        out.put("order", text(t, "started_at"));
        out.put("backend", text(t, "backend"));
        out.put("clock", text(t, "clock"));
        out.put("repetition", t.intColumn("repetition").asList().stream().map(String::valueOf).toList());
        List<String> source = text(t, "source");
        List<String> metric = text(t, "metric");
        out.put("metric", IntStream.range(0, n).mapToObj(r -> source.get(r) + "." + metric.get(r)).toList());
        out.put("unit", text(t, "unit"));
        out.put("status", text(t, "status"));
        out.put("note", text(t, "note"));
        for (String c : DatasetRows.config(t)) out.put(c, text(t, c));
        DoubleColumn value = t.doubleColumn("value");
        for (int r = 0; r < n; r++) numbers.add(value.isMissing(r) ? Double.NaN : value.getDouble(r));
    }

    private static List<String> text(Table t, String column) {
        return t.stringColumn(column).asList();
    }

    private static void readJmh(Path file, Map<String, List<String>> out, List<Double> numbers) {
        JsonNode runs;
        try (Reader r = Files.newBufferedReader(file)) {
            runs = new ObjectMapper().readTree(r);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not JMH JSON: " + e.getMessage(), e);
        }
        if (runs == null || !runs.isArray())
            throw new IllegalArgumentException(file + " is not JMH JSON: expected an array of benchmark results");
        String series = file.getFileName().toString().replaceFirst("\\.json$", "");
        Properties provenance = provenance(file);
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode run : runs) {
            String benchmark = run.path("benchmark").asText().replaceFirst("^io\\.gamerlab\\.bench\\.", "");
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("benchmark", benchmark);
            settings.put("jmh_mode", run.path("mode").asText());
            run.path("params").properties().forEach(p -> settings.put(p.getKey(), p.getValue().asText()));
            Map<String, JsonNode> metrics = new LinkedHashMap<>();
            metrics.put("primary", run.path("primaryMetric"));
            run.path("secondaryMetrics").properties().forEach(p -> metrics.put(p.getKey(), p.getValue()));
            metrics.forEach((metric, m) -> {
                JsonNode forks = m.path("rawData");
                for (int fork = 0; fork < forks.size(); fork++) {
                    JsonNode iterations = forks.get(fork);
                    if (iterations.isEmpty()) continue;
                    double sum = 0;
                    for (JsonNode it : iterations) sum += it.asDouble();
                    Map<String, String> row = new LinkedHashMap<>(settings);
                    row.put("series", series);
                    row.put("order", series);
                    row.put("backend", provenance.getProperty("backend", "unknown"));
                    row.put("clock", provenance.getProperty("clock", "unknown"));
                    row.put("repetition", Integer.toString(fork));
                    row.put("metric", metric);
                    row.put("unit", m.path("scoreUnit").asText());
                    row.put("status", "ok");
                    row.put("note", iterations.size() + " iterations of fork " + fork);
                    rows.add(row);
                    numbers.add(sum / iterations.size());
                }
            });
        }
        LinkedHashSet<String> names = new LinkedHashSet<>(COLUMNS);
        rows.forEach(r -> names.addAll(r.keySet()));
        names.remove("value");
        for (String n : names) out.put(n, rows.stream().map(r -> r.getOrDefault(n, "")).toList());
    }

    /** The JMH runner's provenance beside {@code x.json} ({@code x.provenance.properties}); empty if there is none. */
    private static Properties provenance(Path json) {
        Path sidecar = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", ".provenance.properties"));
        Properties p = new Properties();
        if (Files.isRegularFile(sidecar)) {
            try (Reader r = Files.newBufferedReader(sidecar)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + sidecar, e);
            }
        }
        return p;
    }

    public String name() {
        return name;
    }

    /** The whole table (see the class comment for its columns). */
    public Table rows() {
        return rows;
    }

    /** The configuration columns: those that tell one configuration of the experiment from another. */
    public List<String> configColumns() {
        return config;
    }

    /** Whether any row measures {@code metric} (ok or not). */
    public boolean hasMetric(String metric) {
        return rows.stringColumn("metric").isEqualTo(metric).size() > 0;
    }

    /**
     * The measure's evidence, one per series that has both its control and its variant, newest
     * first; or, when none has both, why not.
     */
    public Evidence.Search evidence(Measure m) {
        if (!hasMetric(m.metric()))
            return Evidence.Search.absent("datasets/" + name + " has no rows of " + m.metric());
        Table ok = rows.where(rows.stringColumn("metric").isEqualTo(m.metric()).and(rows.stringColumn("status").isEqualTo("ok")));
        Table control = ok.where(matching(ok, m, m.control()));
        Table variant = ok.where(matching(ok, m, m.variant()));
        if (control.isEmpty() || variant.isEmpty())
            return Evidence.Search.absent("datasets/" + name + " has " + m.metric() + " but no ok rows for "
                    + (control.isEmpty() ? "the control (" + filters(m, m.control()) + ")" : "the variant (" + filters(m, m.variant()) + ")"));
        List<Evidence> found = new ArrayList<>();
        Set<String> both = new TreeSet<>(control.stringColumn("series").asSet());
        both.retainAll(variant.stringColumn("series").asSet());
        for (String series : both) {
            Table c = inSeries(control, series), v = inSeries(variant, series);
            String unit = sameEverywhere(m, "unit", c, v);
            found.add(new Evidence(series, sameEverywhere(m, "backend", c, v), sameEverywhere(m, "clock", c, v),
                    m.transform().unit(unit), sample(m, c, "control", unit), sample(m, v, "variant", unit),
                    context(m, series), newest(c)));
        }
        if (found.isEmpty())
            return Evidence.Search.absent("datasets/" + name + " has the control and the variant of " + m.metric()
                    + " only in different runs (" + control.stringColumn("series").asSet() + " vs " + variant.stringColumn("series").asSet() + ")");
        found.sort(Comparator.comparing(Evidence::order).reversed());
        return Evidence.Search.found(found);
    }

    private Selection matching(Table table, Measure m, Map<String, String> side) {
        Selection all = Selection.withRange(0, table.rowCount());
        Map<String, String> filters = new LinkedHashMap<>(m.fixed());
        filters.putAll(side);
        for (Map.Entry<String, String> f : filters.entrySet()) {
            if (!table.columnNames().contains(f.getKey()))
                throw new IllegalArgumentException("measure " + m.id() + " filters on '" + f.getKey() + "', which datasets/" + name
                        + " has no column for; its configuration columns are " + configColumns()
                        + " and the axes its variants name " + table.columnNames().stream().filter(c -> !configColumns().contains(c)
                        && !COLUMNS.contains(c)).toList());
            all = all.and(table.stringColumn(f.getKey()).isEqualTo(f.getValue()));
        }
        return all;
    }

    private static String filters(Measure m, Map<String, String> side) {
        Map<String, String> all = new TreeMap<>(m.fixed());
        all.putAll(side);
        return String.join(",", all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static String newest(Table t) {
        return t.stringColumn("order").asList().stream().max(Comparator.naturalOrder()).orElse("");
    }

    private static Table inSeries(Table t, String series) {
        return t.where(t.stringColumn("series").isEqualTo(series));
    }

    private String sameEverywhere(Measure m, String column, Table c, Table v) {
        Set<String> values = new TreeSet<>(c.stringColumn(column).asSet());
        values.addAll(v.stringColumn(column).asSet());
        if (values.size() != 1)
            throw new IllegalArgumentException("measure " + m.id() + " compares rows of different " + column + "s in datasets/" + name
                    + ": " + values);
        return values.iterator().next();
    }

    /** One value per repetition of one configuration: more than one configuration is a ledger error, not more data. */
    private Sample sample(Measure m, Table side, String which, String unit) {
        for (String column : config) {
            Set<String> values = side.stringColumn(column).asSet();
            if (values.size() > 1)
                throw new IllegalArgumentException("measure " + m.id() + ": its " + which + " rows in datasets/" + name
                        + " span several configurations (" + column + " = " + new TreeSet<>(values)
                        + "); pin " + column + " in the ledger's fixed or " + which);
        }
        Set<String> repetitions = side.stringColumn("repetition").asSet();
        if (repetitions.size() != side.rowCount())
            throw new IllegalArgumentException("measure " + m.id() + ": its " + which + " rows in datasets/" + name
                    + " have " + side.rowCount() + " values for " + repetitions.size() + " repetitions");
        double[] values = side.doubleColumn("value").asDoubleArray();
        double factor = factor(m, side, which);
        for (int i = 0; i < values.length; i++) values[i] = factor * m.transform().apply(values[i], unit);
        return Sample.of(values);
    }

    /**
     * The ok values of {@code metric} over the repetitions of one configuration of one series (a
     * run): {@code filters} (column = value, as a ledger's) must pin every configuration column
     * the rows differ in; empty if no row matches.
     */
    public Optional<Sample> values(String series, String metric, Map<String, String> filters) {
        Selection picked = rows.stringColumn("series").isEqualTo(series).and(rows.stringColumn("metric").isEqualTo(metric))
                .and(rows.stringColumn("status").isEqualTo("ok"));
        for (Map.Entry<String, String> f : filters.entrySet()) {
            if (!rows.columnNames().contains(f.getKey()))
                throw new IllegalArgumentException("datasets/" + name + " has no column '" + f.getKey() + "'; its columns are " + rows.columnNames());
            picked = picked.and(rows.stringColumn(f.getKey()).isEqualTo(f.getValue()));
        }
        Table t = rows.where(picked);
        if (t.isEmpty()) return Optional.empty();
        for (String column : config)
            if (t.stringColumn(column).countUnique() > 1)
                throw new IllegalArgumentException(metric + " " + filters + " in run " + series + " of datasets/" + name
                        + " spans several configurations (" + column + " = " + new TreeSet<>(t.stringColumn(column).asSet()) + ")");
        return Optional.of(Sample.of(t.doubleColumn("value").asDoubleArray()));
    }

    /** A run's own settings (its {@code run.*} rows): setting, then its value and unit or its note. */
    public Map<String, String> settings(String series) {
        Table t = rows.where(rows.stringColumn("series").isEqualTo(series).and(rows.stringColumn("metric").startsWith("run.")));
        Map<String, String> out = new LinkedHashMap<>();
        for (Row r : t)
            out.put(r.getString("metric").substring("run.".length()),
                    r.isMissing("value") ? r.getString("note") : Digits.value(r.getDouble("value"), r.getString("unit")));
        return out;
    }

    /** The number in the measure's multiply_by column (one value on a side, as a configuration is), or 1 without one. */
    private double factor(Measure m, Table side, String which) {
        if (m.multiplyBy().isEmpty()) return 1;
        if (!side.columnNames().contains(m.multiplyBy()))
            throw new IllegalArgumentException("measure " + m.id() + " multiplies by '" + m.multiplyBy() + "', which datasets/" + name
                    + " has no column for; its configuration columns are " + configColumns());
        Set<String> values = side.stringColumn(m.multiplyBy()).asSet();
        try {
            if (values.size() == 1) return Double.parseDouble(values.iterator().next());
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("measure " + m.id() + " multiplies by '" + m.multiplyBy() + "', whose " + which
                + " rows in datasets/" + name + " hold " + new TreeSet<>(values) + ": it takes one number per side");
    }

    /** The run-level rows the measure asks to quote, from one series: "metric: value unit" or "metric: note". */
    private List<String> context(Measure m, String series) {
        List<String> out = new ArrayList<>();
        for (String metric : m.context()) {
            Table t = rows.where(rows.stringColumn("series").isEqualTo(series).and(rows.stringColumn("metric").isEqualTo(metric)));
            if (t.isEmpty()) {
                out.add(metric + ": not recorded");
                continue;
            }
            Set<String> seen = new TreeSet<>();
            for (Row r : t)
                seen.add(r.isMissing("value") ? r.getString("note")
                        : Digits.value(r.getDouble("value"), r.getString("unit")));
            out.add(metric + ": " + String.join(", ", seen));
        }
        return out;
    }
}
