package io.gamerlab.measure;

import io.gamerlab.bpf.ProgramInfo;
import io.gamerlab.sched.Hook;
import io.gamerlab.sched.InputEventSnapshot;
import io.gamerlab.util.Histograms;
import io.gamerlab.workload.WorkloadReport;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Builds the one table a run produces: one row per measured quantity (long format), each row with
 * the run's provenance, so tables from many runs, backends and variants concatenate and group.
 * A counter the machine cannot provide is a row with status {@code unsupported} and no value,
 * never a zero.
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

    /** Column names, the schema every dataset of gamerlab shares. */
    public static final List<String> COLUMNS = List.of("run_id", "backend", "clock", "kernel", "cpu_model",
            "variant", "git_commit", "started_at", "workload", "source", "metric", "unit", "value", "status", "note");

    private final Provenance provenance;
    private final String workload;
    private final Table table;

    public RunTable(Provenance provenance, String workload) {
        this.provenance = provenance;
        this.workload = workload;
        this.table = Table.create("run " + provenance.runId());
        for (String name : COLUMNS)
            table.addColumns(name.equals("value") ? DoubleColumn.create(name) : StringColumn.create(name));
    }

    public RunTable add(String source, String metric, String unit, double value) {
        return row(source, metric, unit, value, "ok", "");
    }

    public RunTable addUnsupported(String source, String metric, String unit, String reason) {
        return row(source, metric, unit, Double.NaN, "unsupported", reason);
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

    /** The workload's metrics, then one histogram row per latency it measured. */
    public RunTable addWorkload(WorkloadReport report) {
        for (WorkloadReport.Metric m : report.metrics()) add("workload", m.name(), m.unit(), m.value());
        for (WorkloadReport.Distribution d : report.distributions()) addHistogram("workload", d.name(), d.histogram());
        return this;
    }

    private void addHistogram(String source, String latency, Histogram nanos) {
        row(source, latency + HISTOGRAM_SUFFIX, HISTOGRAM_UNIT, nanos.getTotalCount(), "ok", Histograms.encode(nanos));
    }

    public Table table() {
        return table;
    }

    /** A row with any status, e.g. {@code failed} for a check that did not pass, and a note saying why. */
    public RunTable row(String source, String metric, String unit, double value, String status, String note) {
        Provenance p = provenance;
        List<String> strings = List.of(p.runId(), p.backend(), p.clock(), p.kernelRelease(), p.cpuModel(), p.variant(),
                p.gitCommit(), p.startedAt().toString(), workload, source, metric, unit);
        for (int i = 0; i < strings.size(); i++) table.stringColumn(i).append(strings.get(i));
        table.doubleColumn("value").append(value);
        table.stringColumn("status").append(status);
        table.stringColumn("note").append(note);
        return this;
    }
}
