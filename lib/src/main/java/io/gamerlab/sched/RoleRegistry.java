package io.gamerlab.sched;

/** Where a workload declares what its threads are, so the scheduler can boost them. */
public interface RoleRegistry {

    /** Declares the role of the thread with kernel thread id {@code tid}. */
    void declare(int tid, Role role);

    /** For runs without our scheduler (a baseline): declarations go nowhere. */
    RoleRegistry NONE = (tid, role) -> { };
}
