package io.gamerlab.experiment;

import java.io.IOException;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * Runs cells of an experiment and hands each one back the moment it is finished, so it is stored
 * before the next one runs: a backend that dies loses at most the cell it was running.
 */
public interface CellRunner {

    /** Where finished cells go: the rows of a result, or of a failure (status {@code failed}, with the reason). */
    interface Sink {
        void started(Cell cell);

        void finished(Cell cell, Table rows, boolean failed) throws IOException;
    }

    /** The backend's name, as the cells' rows will record it. */
    String backend();

    /**
     * Runs {@code cells} in order, reporting each to {@code sink}. A cell that fails (its scheduler
     * does not load, the kernel ejects it) is reported as failed and the rest still run; an
     * exception means the runner could not go on, and the cells not reported stay missing.
     */
    void run(Experiment experiment, List<Cell> cells, Sink sink) throws IOException, InterruptedException;
}
