package io.gamerlab.experiment;

import io.gamerlab.measure.Provenance;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Runs each cell as one {@link Backend#run}: in this process on the host; in the guest, one boot
 * per cell. A cell whose run throws (its scheduler did not load, the guest failed) is reported as
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
            RunResult result;
            try {
                result = backend.run(spec);
            } catch (RuntimeException e) {
                Provenance p = Provenance.startingNow(new Provenance.Cell(experiment.name(), cell.id(), cell.repetition(),
                                OptionalLong.of(experiment.seed()), cell.measured(), cell.variant().label(), "", cell.workload().name(),
                                cell.workload().paramsText(), spec.tunablesText()),
                        Provenance.Machine.unknown(backend.name(), backend.clock()), gitCommit);
                sink.finished(cell, Run.failedCell(p, String.valueOf(e.getMessage())), true);
                continue;
            }
            sink.finished(cell, result.table(), false);
        }
    }
}
