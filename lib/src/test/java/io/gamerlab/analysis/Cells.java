package io.gamerlab.analysis;

import io.gamerlab.experiment.Dataset;
import io.gamerlab.measure.Column;
import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Datasets for the analysis tests, written through the dataset layer as the benches and the runner
 * write them: a cell per (variant, workload parameters, repetition), named {@code <experiment>}
 * (the directory's parent and name, {@code bench/r1}, as a host bench's run is).
 */
final class Cells {
    private final Path dir;
    private final String experiment;
    private final String backend;
    private final String clock;
    private final String gitCommit;
    private final Instant startedAt;
    private final Map<String, RunTable> cells = new LinkedHashMap<>();

    Cells(Path dir, String backend, String clock, String gitCommit, Instant startedAt) {
        this.dir = dir;
        this.experiment = dir.getParent().getFileName() + "/" + dir.getFileName();
        this.backend = backend;
        this.clock = clock;
        this.gitCommit = gitCommit;
        this.startedAt = startedAt;
    }

    /** A host bench's run in {@code dir}, started at {@code startedAt}. */
    static Cells hostRun(Path dir, String gitCommit, String startedAt) {
        return new Cells(dir, "host", "host", gitCommit, Instant.parse(startedAt));
    }

    /** A row of the trial of {@code variant} with {@code params} ({@code key=value,...}), repetition from 0 as the benches count. */
    Cells row(String variant, String params, int repetition, String source, String metric, String unit, double value, String status) {
        String key = variant + "|" + params + "|" + repetition;
        RunTable cell = cells.computeIfAbsent(key, k -> table("t" + (cells.size() + 1), repetition + 1, variant, params));
        cell.row(source, metric, unit, value, status, "");
        return this;
    }

    /** A setting of the run, as a bench records it. */
    Cells setting(String name, String text) {
        cells.computeIfAbsent("settings", k -> table("settings", 1, "-", "")).row("run", name, "", Double.NaN, Column.Status.SETTING, text);
        return this;
    }

    /** Stores every cell. */
    void write() {
        try {
            for (RunTable t : cells.values()) new Dataset(dir).add(t.table());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RunTable table(String id, int repetition, String variant, String params) {
        Provenance.Cell cell = new Provenance.Cell(experiment, id, repetition, OptionalLong.of(42), true, variant, "", "bench", params, "");
        Provenance.Machine machine = new Provenance.Machine(backend, clock, "6.18", "CPU", 2, "25", "1.4");
        return new RunTable(new Provenance(cell, machine, new Provenance.Node("node", OptionalLong.empty(), OptionalInt.empty()), gitCommit, startedAt));
    }
}
