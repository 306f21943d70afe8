package io.gamerlab.workload;

import io.gamerlab.sched.Role;
import io.gamerlab.sched.RoleRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A registry that remembers, by thread name, what each thread declared: for runs without a scheduler. */
final class RecordingRoles implements RoleRegistry {

    final Map<String, Role> roles = new ConcurrentHashMap<>();
    final Map<String, Integer> stages = new ConcurrentHashMap<>();

    @Override
    public void declare(int tid, Role role) {
        roles.put(Thread.currentThread().getName(), role);
    }

    @Override
    public void declareStage(int tid, int stage) {
        stages.put(Thread.currentThread().getName(), stage);
    }
}
