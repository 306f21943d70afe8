package io.gamerlab.experiment;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs each cell as one {@link Backend#run}, in this process on the host. A cell whose run throws (its scheduler did not load, the guest failed) is reported as
 * failed with the error's message, and the next cell runs.
 */
final class OneRunPerCell implements CellRunner {

    private final Backend backend;
    private final String gitCommit;

    OneRunPerCell(Backend backend, String gitCommit) {
        this.backend = backend;
        this.gitCommit = gitCommit;
    }

    @Override
    public String backend() {
        return backend.name();
    }

    @Override
    public void run(Experiment experiment, List<Cell> cells, Sink sink) throws IOException, InterruptedException {
        for (Cell cell : cells) {
            sink.started(cell);
            RunSpec spec = CellSpecs.spec(experiment, cell, gitCommit);
            long start = System.nanoTime();
            RunResult result;
            try {
                result = backend.run(spec);
            } catch (RuntimeException e) {
                sink.finished(cell, CellSpecs.failedRows(experiment, cell, spec, backend, gitCommit, String.valueOf(e.getMessage())), true);
                continue;
            }
            // The backend's whole run: in a guest of its own, its boot too.
            CellCost.addTo(result.table(), spec, Duration.ofNanos(System.nanoTime() - start), null, 0, Map.of());
            sink.finished(cell, result.table(), false);
        }
    }
}
