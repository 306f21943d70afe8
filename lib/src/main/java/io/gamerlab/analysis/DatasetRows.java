package io.gamerlab.analysis;

import io.gamerlab.experiment.Dataset;
import io.gamerlab.measure.Column;
import io.gamerlab.sched.Axis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Datasets ({@link Column} schema, read and checked by {@link Dataset}) as one analysis table. A
 * directory under datasets/ holds cells itself (an experiment) or one subdirectory per run (a host
 * bench: {@code datasets/ringbuf/<run>/}); both load the same way. To the schema's columns it adds
 * {@value #RUN} (the {@code experiment} column: one experiment, or one bench run), one text column
 * per workload parameter ({@code producers}, {@code consumer}, ...; empty where a row's workload
 * has no such parameter) and one per variant axis the variant texts name ({@code ringbuf},
 * {@code batch}, ...).
 */
public final class DatasetRows {

    /** The column that says which run a row belongs to. */
    public static final String RUN = "run_id";

    private DatasetRows() { }

    /** Whether {@code dir} holds cells, itself or in its subdirectories. */
    public static boolean present(Path dir) {
        return !datasets(dir).isEmpty();
    }

    /** Every cell of every dataset in {@code dir}; fails naming the directory if there are none, or a file that is malformed. */
    public static Table load(Path dir) {
        List<Path> dirs = datasets(dir);
        if (dirs.isEmpty())
            throw new IllegalArgumentException("no dataset (*.csv cells in " + Column.NAMES.getFirst() + " " + Column.VERSION
                    + " form) in " + dir.toAbsolutePath() + " or its subdirectories");
        Table all = null;
        for (Path d : dirs) {
            Table t;
            try {
                t = new Dataset(d).table();
            } catch (IOException e) {
                throw new UncheckedIOException("reading the dataset " + d, e);
            }
            all = all == null ? t : all.append(t);
        }
        return expanded(all).setName(dir.getFileName().toString());
    }

    /** The configuration columns of a loaded table: the variant, the workload, the tunables, measurement on or off, and each workload parameter. */
    public static List<String> config(Table rows) {
        List<String> config = new ArrayList<>(List.of(Column.VARIANT.label(), Column.WORKLOAD.label(), Column.TUNABLES.label(),
                Column.MEASUREMENT.label()));
        for (String c : rows.columnNames())
            if (!Column.NAMES.contains(c) && !c.equals(RUN) && !isAxis(c)) config.add(c);
        return config;
    }

    private static boolean isAxis(String column) {
        return Stream.of(Axis.values()).anyMatch(a -> a.key().equals(column));
    }

    /** The directories under (and including) {@code dir} that hold cells, by name. */
    private static List<Path> datasets(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> found = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            List<Path> entries = listing.sorted().toList();
            if (entries.stream().anyMatch(DatasetRows::isCell)) found.add(dir);
            for (Path sub : entries) {
                if (!Files.isDirectory(sub) || sub.getFileName().toString().equals(Dataset.FAILED)) continue;
                try (Stream<Path> inner = Files.list(sub)) {
                    if (inner.anyMatch(DatasetRows::isCell)) found.add(sub);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list datasets in " + dir.toAbsolutePath(), e);
        }
        return found;
    }

    private static boolean isCell(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".csv") && !name.startsWith(".") && Files.isRegularFile(p);
    }

    /** Adds the run column, a column per workload parameter and one per named variant axis. */
    static Table expanded(Table rows) {
        rows.addColumns(rows.stringColumn(Column.EXPERIMENT.label()).copy().setName(RUN));
        StringColumn paramsText = rows.stringColumn(Column.WORKLOAD_PARAMS.label());
        List<Map<String, String>> params = new ArrayList<>(rows.rowCount());
        Set<String> keys = new LinkedHashSet<>();
        for (String text : paramsText) {
            Map<String, String> p = parameters(text);
            params.add(p);
            keys.addAll(p.keySet());
        }
        for (String key : keys) {
            if (rows.columnNames().contains(key) || isAxis(key))
                throw new IllegalArgumentException("workload parameter '" + key + "' has the name of a column; rename it");
            StringColumn c = StringColumn.create(key);
            for (Map<String, String> p : params) c.append(p.getOrDefault(key, ""));
            rows.addColumns(c);
        }
        HostBenchResults.addAxisColumns(rows);
        return rows;
    }

    /** {@code key=value,...} as a map, in order; empty text, none. */
    static Map<String, String> parameters(String text) {
        Map<String, String> p = new LinkedHashMap<>();
        if (text.isEmpty()) return p;
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("workload parameters '" + text + "' are not key=value,...");
            p.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return p;
    }
}
