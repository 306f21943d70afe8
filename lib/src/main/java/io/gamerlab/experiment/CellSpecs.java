package io.gamerlab.experiment;

import io.gamerlab.measure.Provenance;
import io.gamerlab.util.InvalidInputException;
import io.gamerlab.workload.WorkloadSpec;
import io.gamerlab.workload.Workloads;
import java.util.OptionalLong;
import tech.tablesaw.api.Table;

/**
 * Turns an experiment's cell into the {@link RunSpec} a backend runs, and checks before anything
 * runs that every cell can be turned into one: each workload is one of the registry's kinds
 * ({@link Workloads}) with parameters its text form accepts ({@link WorkloadSpec}).
 */
final class CellSpecs {

    private CellSpecs() { }

    /** Throws naming the first workload or parameter that no cell could run with. */
    static void check(Experiment e) {
        for (int i = 0; i < e.workloads().size(); i++) workload("workloads[" + i + "]", e.workloads().get(i));
    }

    static RunSpec spec(Experiment e, Cell cell, String gitCommit) {
        String field = "workloads[" + e.workloads().indexOf(cell.workload()) + "]";
        return new RunSpec(cell.id(), cell.variant().variant(), e.tunables(), workload(field, cell.workload()), e.warmup(), e.duration(),
                gitCommit, java.util.List.of(), new RunSpec.Place(e.name(), cell.repetition(), OptionalLong.of(e.seed()), cell.measured()));
    }

    /** The rows of a cell that failed: its provenance, as far as this process knows it, and why. */
    static Table failedRows(Experiment e, Cell cell, RunSpec spec, Backend backend, String gitCommit, String reason) {
        Provenance p = Provenance.startingNow(new Provenance.Cell(e.name(), cell.id(), cell.repetition(), OptionalLong.of(e.seed()),
                        cell.measured(), cell.variant().label(), "", cell.workload().name(), cell.workload().paramsText(), spec.tunablesText()),
                Provenance.Machine.unknown(backend.name(), backend.clock()), gitCommit);
        return Run.failedCell(p, reason);
    }

    /** The workload's checked text form: {@code name:key=value,...}. */
    private static WorkloadSpec workload(String field, WorkloadChoice w) {
        try {
            return WorkloadSpec.parse(w.params().isEmpty() ? w.name() : w.name() + ":" + w.paramsText());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, w.label(), e.getMessage(), Workloads.names() + ", each with the parameters it names");
        }
    }
}
