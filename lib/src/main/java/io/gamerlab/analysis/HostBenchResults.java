package io.gamerlab.analysis;

import io.gamerlab.sched.Axis;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The host BPF benches' datasets ({@code datasets/ringbuf/<run>/} from bench's RingbufBench,
 * {@code datasets/taskctx/<run>/} from TaskCtxBench, one cell per trial), and experiments', read
 * back for analysis ({@link DatasetRows}). A trial's configuration is its variant, workload,
 * tunables, measurement and workload parameters (ringbuf: consumer, producers, notify, burst;
 * taskctx: threads). Each run keeps its {@code run_id} and {@code git_commit}, so results from
 * different builds stay apart.
 */
public final class HostBenchResults {
    /** The column {@link #means} puts the mean in (Tablesaw's name for it). */
    public static final String MEAN = "Mean [value]";
    private static final String COUNT = "Count [value]";

    private HostBenchResults() { }

    /** Every run in {@code dir}, as one table; fails naming the directory if it holds none. */
    public static Table load(Path dir) {
        if (!DatasetRows.present(dir))
            throw new IllegalArgumentException("no bench dataset in " + dir.toAbsolutePath()
                    + ": run the bench (see bench/README.md) or point at datasets/ringbuf or datasets/taskctx");
        return DatasetRows.load(dir);
    }

    /**
     * Mean, standard deviation and count over repetitions of one metric, per run and configuration,
     * with one column per variant axis named in the variant text (ringbuf, batch, prefetch; taskctx).
     */
    public static Table means(Table rows, String source, String metric) {
        Table picked = rows.where(rows.stringColumn("source").isEqualTo(source)
                .and(rows.stringColumn("metric").isEqualTo(metric))
                .and(rows.stringColumn("status").isEqualTo("ok")));
        if (picked.isEmpty())
            throw new IllegalArgumentException("no ok rows of " + source + "." + metric + " in " + rows.name());
        String[] by = Stream.concat(Stream.of(DatasetRows.RUN, "git_commit"), DatasetRows.config(rows).stream()).toArray(String[]::new);
        Table means = picked.summarize("value", AggregateFunctions.mean, AggregateFunctions.stdDev, AggregateFunctions.count)
                .by(by);
        // A configuration where the metric does not apply (a thread that did not run) has only missing values.
        means = means.where(means.numberColumn(COUNT).isGreaterThan(0));
        addAxisColumns(means);
        return means.sortOn(HostBenchResults::byAxisOrder).setName(source + "." + metric);
    }

    /**
     * Adds one column per key that some text in the table's {@code variant} column names, "" where a
     * row's does not: the variant axes first (ringbuf, batch, ...), then a bench's own settings
     * (a producer-only trial's {@code burst}, a kernel trial's {@code bench_ringbufs}), so a filter
     * can name them as it names a column.
     */
    static void addAxisColumns(Table t) {
        if (!t.columnNames().contains("variant")) return;
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (Axis axis : Axis.values()) keys.add(axis.key());
        for (String variant : t.stringColumn("variant").unique())
            for (String part : variant.split(","))
                if (part.indexOf('=') > 0) keys.add(part.substring(0, part.indexOf('=')));
        for (String key : keys) {
            if (t.columnNames().contains(key)) continue;
            StringColumn values = StringColumn.create(key);
            boolean named = false;
            for (String variant : t.stringColumn("variant")) {
                String value = axisValue(variant, key);
                named |= value != null;
                values.append(value == null ? "" : value);
            }
            if (named) t.addColumns(values);
        }
    }

    /**
     * Side by side, per run and per configuration that differs only in {@code axis}: the mean at
     * {@code a}, the mean at {@code b}, and their ratio b/a. Takes a {@link #means} table.
     */
    public static Table compare(Table means, String axis, String a, String b) {
        if (!means.columnNames().contains(MEAN) || !means.columnNames().contains("variant"))
            throw new IllegalArgumentException("compare takes a table from means(); this one has " + means.columnNames());
        if (!means.columnNames().contains(axis))
            throw new IllegalArgumentException("the table has no axis column " + axis + "; its columns are " + means.columnNames());
        // A means table: run_id, git_commit, the configuration (variant first), then the mean.
        List<String> columns = means.columnNames();
        List<String> settings = columns.subList(columns.indexOf("variant") + 1, columns.indexOf(MEAN));
        StringColumn run = StringColumn.create("run_id"), commit = StringColumn.create("git_commit");
        StringColumn others = StringColumn.create("other_axes");
        List<StringColumn> settingColumns = settings.stream().map(StringColumn::create).toList();
        DoubleColumn atA = DoubleColumn.create(axis + "=" + a), atB = DoubleColumn.create(axis + "=" + b);
        DoubleColumn ratio = DoubleColumn.create("ratio");
        Table sideA = means.where(means.stringColumn(axis).isEqualTo(a));
        Table sideB = means.where(means.stringColumn(axis).isEqualTo(b));
        for (Row rowA : sideA) {
            String rest = withoutAxis(rowA.getString("variant"), axis);
            for (Row rowB : sideB) {
                boolean sameConfig = rowB.getString("run_id").equals(rowA.getString("run_id"))
                        && withoutAxis(rowB.getString("variant"), axis).equals(rest)
                        && settings.stream().allMatch(c -> rowB.getString(c).equals(rowA.getString(c)));
                if (!sameConfig) continue;
                run.append(rowA.getString("run_id"));
                commit.append(rowA.getString("git_commit"));
                others.append(rest);
                for (int i = 0; i < settings.size(); i++) settingColumns.get(i).append(rowA.getString(settings.get(i)));
                atA.append(rowA.getDouble(MEAN));
                atB.append(rowB.getDouble(MEAN));
                ratio.append(rowB.getDouble(MEAN) / rowA.getDouble(MEAN));
            }
        }
        Table side = Table.create(means.name() + " " + axis + " " + b + " vs " + a, run, commit, others);
        settingColumns.forEach(side::addColumns);
        return side.addColumns(atA, atB, ratio);
    }

    private static String withoutAxis(String variant, String axis) {
        return String.join(",", Stream.of(variant.split(",")).filter(part -> !part.startsWith(axis + "=")).toList());
    }

    /** Rows in the order of each axis's values as {@link Axis} lists them (batch 1, 4, 8, 16, not 1, 16, 4, 8), then by run. */
    private static int byAxisOrder(Row x, Row y) {
        for (Axis axis : Axis.values()) {
            if (!x.columnNames().contains(axis.key())) continue;
            int c = Integer.compare(axis.choices().indexOf(x.getString(axis.key())), axis.choices().indexOf(y.getString(axis.key())));
            if (c != 0) return c;
        }
        return x.getString("run_id").compareTo(y.getString("run_id"));
    }

    /** The value of {@code key} in a variant text such as {@code ringbuf=shared,batch=8}, or null. */
    static String axisValue(String variant, String key) {
        for (String part : variant.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(key)) return part.substring(eq + 1);
        }
        return null;
    }
}
