package io.gamerlab.experiment;

/** Something that can run our scheduler: this machine's kernel, or a guest kernel under QEMU. */
public interface Backend {

    /** The name every result row records in its {@code backend} column. */
    String name();

    /** What this backend's timings are worth, as rows record it in their {@code clock} column. */
    String clock();

    RunResult run(RunSpec spec) throws InterruptedException;

    /** The host when its kernel has sched_ext and this process may load BPF; the guest otherwise. */
    static Backend auto() {
        return HostBackend.whyUnavailable().isEmpty() ? new HostBackend() : GuestBackend.standard();
    }
}
