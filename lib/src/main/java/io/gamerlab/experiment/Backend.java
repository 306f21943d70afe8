package io.gamerlab.experiment;

import java.util.ArrayList;
import java.util.List;

/** Something that can run our scheduler: this machine's kernel, or a guest kernel under QEMU. */
public interface Backend {

    /** The name every result row records in its {@code backend} column. */
    String name();

    /** What this backend's timings are worth, as rows record it in their {@code clock} column. */
    String clock();

    RunResult run(RunSpec spec) throws InterruptedException;

    /** Runs each spec in turn; a backend may share set-up between them (the guest boots once). */
    default List<RunResult> runAll(List<RunSpec> specs) throws InterruptedException {
        List<RunResult> results = new ArrayList<>();
        for (RunSpec spec : specs) results.add(run(spec));
        return results;
    }

    /** How a sweep runs its cells here: one {@link #run} per cell, unless the backend shares set-up between cells. */
    default CellRunner cellRunner(String gitCommit) {
        return new OneRunPerCell(this, gitCommit);
    }

    /** The host when its kernel has sched_ext and this process may load BPF; the guest otherwise. */
    static Backend auto() {
        return HostBackend.whyUnavailable().isEmpty() ? new HostBackend() : GuestBackend.standard();
    }
}
