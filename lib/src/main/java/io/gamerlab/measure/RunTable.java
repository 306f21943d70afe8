package io.gamerlab.measure;

import io.gamerlab.bpf.ProgramInfo;
import io.gamerlab.sched.Hook;
import io.gamerlab.sched.InputEventSnapshot;
import io.gamerlab.sched.SchedExtState;
import io.gamerlab.util.Histograms;
import io.gamerlab.workload.WorkloadReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Builds the one table a cell produces: one row per measured quantity (long format), each row with
 * the cell's provenance, in the dataset schema ({@link Column}), so tables from many cells,
 * backends and variants concatenate and group. A counter the machine cannot provide is a row with
 * status {@code unsupported} and no value, never a zero.
 *
 * <p>A latency's percentiles come with the histogram they were read from: a row whose metric is
 * the latency's name plus {@value #HISTOGRAM_SUFFIX} (e.g. {@code frame_interval_histogram}), unit
 * {@value #HISTOGRAM_UNIT}, value the number of samples, and in {@code note} the HdrHistogram of
 * the samples in nanoseconds, compressed and Base64-encoded ({@link Histograms#decode}). Adding the
 * histograms of repetitions gives exactly the histogram of all their samples.
 */
public final class RunTable {

    /** What a histogram row's metric ends with. */
    public static final String HISTOGRAM_SUFFIX = "_histogram";
    /** A histogram row's unit: its value counts samples; the note holds the histogram of nanoseconds. */
    public static final String HISTOGRAM_UNIT = "samples";

    private final List<Object> provenance;
    private final Table table;

    public RunTable(Provenance provenance) {
        this.provenance = provenance.values();
        this.table = emptyTable("cell " + provenance.cell().id());
    }

    /** A table with the dataset schema's columns, typed, and no rows. */
    public static Table emptyTable(String name) {
        Table t = Table.create(name);
        for (Column c : Column.values()) t.addColumns(c.type().create(c.label()));
        return t;
    }

    public RunTable add(String source, String metric, String unit, double value) {
        return row(source, metric, unit, value, Column.Status.OK, "");
    }

    public RunTable addUnsupported(String source, String metric, String unit, String reason) {
        return row(source, metric, unit, Double.NaN, Column.Status.UNSUPPORTED, reason);
    }

    public RunTable addCounters(List<CounterReading> readings) {
        for (CounterReading r : readings) {
            String metric = r.event().metricName();
            if (!r.supported()) addUnsupported("perf", metric, r.event().unit(), r.unsupportedReason());
            else if (Double.isNaN(r.scaledValue())) addUnsupported("perf", metric, r.event().unit(), "opened, but never scheduled on the PMU");
            else add("perf", metric, r.event().unit(), r.scaledValue());
        }
        return this;
    }

    public RunTable addSchedulerStatistics(Map<String, Long> statistics) {
        statistics.forEach((name, value) -> add("scheduler", name, name.endsWith("_ns") ? "ns" : "count", value));
        return this;
    }

    /**
     * Which process the scheduler took for the foreground game at the end of the run (0: none),
     * and whether that was the process that ran the workload.
     */
    public RunTable addForegroundGame(long gamePid, long workloadPid) {
        add("scheduler", "foreground_pid", "pid", gamePid);
        add("scheduler", "foreground_is_workload", "bool", gamePid == workloadPid ? 1 : 0);
        return this;
    }

    /** Per program: instructions the verifier processed, translated instructions, JIT image size. */
    public RunTable addPrograms(List<ProgramInfo> programs) {
        for (ProgramInfo p : programs) {
            add("bpf", p.name() + ".verified_insns", "count", p.verifiedInstructions());
            add("bpf", p.name() + ".xlated_insns", "count", p.translatedInstructions());
            add("bpf", p.name() + ".jited_bytes", "bytes", p.jitedBytes());
        }
        return this;
    }

    /** One row per kernel hook: attached (1), or unsupported with the reason it was skipped. */
    public RunTable addHooks(List<Hook> hooks) {
        for (Hook h : hooks) {
            if (h.attached()) add("hook", h.function(), "attached", 1);
            else addUnsupported("hook", h.function(), "attached", h.reason());
        }
        return this;
    }

    /** What reached this process through the input-event ring buffers, and what was lost. */
    public RunTable addInputEvents(InputEventSnapshot s) {
        add("input", "events", "count", s.events());
        add("input", "records", "count", s.records());
        add("input", "events_per_record", "ratio", s.eventsPerRecord());
        add("input", "sequence_gaps", "count", s.sequenceGaps());
        add("input", "reordered", "count", s.reordered());
        add("input", "bpf_drops", "count", s.bpfDrops());
        add("input", "lost_in_transit", "count", s.lostInTransit());
        add("input", "bpf_pending", "count", s.bpfPending());
        add("input", "bpf_timer_flushes", "count", s.bpfTimerFlushes());
        add("input", "bpf_timer_starts", "count", s.bpfTimerStarts());
        add("input", "bpf_timer_errors", "count", s.bpfTimerErrors());
        if (s.events() > 0) {
            add("input", "latency_p50", "us", s.p50Ns() / 1e3);
            add("input", "latency_p99", "us", s.p99Ns() / 1e3);
            add("input", "latency_max", "us", s.maxNs() / 1e3);
            addHistogram("input", "latency", s.latency());
        }
        return this;
    }

    /**
     * What the kernel reported of sched_ext: its state and ops half-way through the run, its state
     * after, and why our scheduler stopped (the kernel's exit kind; 64 is "unloaded from user space").
     */
    public RunTable addSchedExt(SchedExtState during, SchedExtState after, int exitKind, String exitReason) {
        row("sched_ext", "state_during", "", Double.NaN, Column.Status.OK, during.state());
        row("sched_ext", "ops_during", "", Double.NaN, Column.Status.OK, during.ops());
        row("sched_ext", "state_after", "", Double.NaN, Column.Status.OK, after.state());
        return row("sched_ext", "exit_kind", "code", exitKind, Column.Status.OK, exitReason);
    }

    /** The workload's metrics, then one histogram row per latency it measured. */
    public RunTable addWorkload(WorkloadReport report) {
        for (WorkloadReport.Metric m : report.metrics()) add("workload", m.name(), m.unit(), m.value());
        for (WorkloadReport.Distribution d : report.distributions()) addHistogram("workload", d.name(), d.histogram());
        return this;
    }

    private void addHistogram(String source, String latency, Histogram nanos) {
        row(source, latency + HISTOGRAM_SUFFIX, HISTOGRAM_UNIT, nanos.getTotalCount(), Column.Status.OK, Histograms.encode(nanos));
    }

    public Table table() {
        return table;
    }

    /** A row with any status, e.g. {@code failed} for a check that did not pass, and a note saying why. */
    public RunTable row(String source, String metric, String unit, double value, String status, String note) {
        if (!Column.STATUSES.contains(status)) throw new IllegalArgumentException("status " + status + " is none of " + Column.STATUSES);
        List<Object> cells = new ArrayList<>(provenance);
        cells.addAll(List.of(source, metric, unit, value, status, note));
        appendRow(table, cells);
        return this;
    }

    /**
     * Appends a row to a cell's table that carries the provenance of its first row: what the host
     * adds to a table a guest produced (e.g. the input injector's account).
     */
    public static void appendLike(Table table, String source, String metric, String unit, double value, String note) {
        if (table.rowCount() == 0) throw new IllegalArgumentException("no first row to take the provenance from");
        List<Object> cells = new ArrayList<>();
        for (Column c : Column.values()) {
            if (c == Column.SOURCE) break;
            var column = table.column(c.label());
            cells.add(column.isMissing(0) ? "" : column.get(0));
        }
        cells.addAll(List.of(source, metric, unit, value, Column.Status.OK, note));
        appendRow(table, cells);
    }

    /** Appends one row, {@code cells} in {@link Column} order: numbers to number columns (NaN or "" as missing), text to text. */
    public static void appendRow(Table table, List<?> cells) {
        if (cells.size() != Column.NAMES.size())
            throw new IllegalArgumentException(cells.size() + " cells for the " + Column.NAMES.size() + " columns " + Column.NAMES);
        for (int i = 0; i < cells.size(); i++) {
            Object cell = cells.get(i);
            var column = table.column(i);
            if (cell instanceof String text && column.type() != ColumnType.STRING) {
                if (text.isEmpty()) column.appendMissing();
                else column.appendCell(text);
            } else if (cell instanceof Double d && d.isNaN()) {
                column.appendMissing();
            } else if (cell instanceof Number n && column.type() == ColumnType.INTEGER) {
                ((IntColumn) column).append(n.intValue());
            } else if (cell instanceof Number n && column.type() == ColumnType.LONG) {
                ((LongColumn) column).append(n.longValue());
            } else if (cell instanceof Number n && column.type() == ColumnType.DOUBLE) {
                ((DoubleColumn) column).append(n.doubleValue());
            } else {
                ((StringColumn) column).append(String.valueOf(cell));
            }
        }
    }
}
