package io.gamerlab.experiment;

import io.gamerlab.util.InvalidInputException;
import io.gamerlab.workload.WorkloadSpec;
import io.gamerlab.workload.Workloads;
import java.util.OptionalLong;

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

    /** The workload's checked text form: {@code name:key=value,...}. */
    private static WorkloadSpec workload(String field, WorkloadChoice w) {
        try {
            return WorkloadSpec.parse(w.params().isEmpty() ? w.name() : w.name() + ":" + w.paramsText());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, w.label(), e.getMessage(), Workloads.names() + ", each with the parameters it names");
        }
    }
}
