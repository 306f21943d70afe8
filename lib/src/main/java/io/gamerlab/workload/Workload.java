package io.gamerlab.workload;

import io.gamerlab.sched.RoleRegistry;
import java.time.Duration;

/** A scripted load that runs for a fixed time and reports what its threads experienced. */
public interface Workload {

    /** A short stable name for dataset rows and chart labels. */
    String name();

    /** Runs for {@code duration}, declaring its threads' roles to {@code roles}. */
    WorkloadReport run(Duration duration, RoleRegistry roles) throws InterruptedException;
}
