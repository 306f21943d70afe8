package io.gamerlab.sched;

/** Where a workload declares what its threads are, so the scheduler can boost them. */
public interface RoleRegistry {

    /** Declares the role of the thread with kernel thread id {@code tid}. */
    void declare(int tid, Role role);

    /**
     * Declares the thread's stage in a frame pipeline (1 = first). With {@code pipeline=on}, a
     * stage that wakes the next stage boosts it; other builds ignore stages.
     */
    void declareStage(int tid, int stage);

    /** For runs without our scheduler (a baseline): declarations go nowhere. */
    RoleRegistry NONE = new RoleRegistry() {
        @Override
        public void declare(int tid, Role role) { }

        @Override
        public void declareStage(int tid, int stage) { }
    };
}
