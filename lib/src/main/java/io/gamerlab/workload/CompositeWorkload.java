package io.gamerlab.workload;

import io.gamerlab.sched.RoleRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Several workloads at once, e.g. the frame pipeline while cache pressure streams beside it: each
 * runs on its own thread for the same duration, and their metrics are reported together (each kind
 * names its metrics apart; a name reported twice is an error, not an overwrite).
 */
final class CompositeWorkload implements Workload {

    private final List<Workload> parts;

    CompositeWorkload(List<Workload> parts) {
        this.parts = List.copyOf(parts);
    }

    @Override
    public String name() {
        return parts.stream().map(Workload::name).collect(Collectors.joining("+"));
    }

    @Override
    public WorkloadReport run(Duration duration, RoleRegistry roles) throws InterruptedException {
        Spin.calibrate();  // before any part's threads compete with it
        List<WorkloadReport> reports = new ArrayList<>();
        parts.forEach(p -> reports.add(null));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            int index = i;
            threads.add(Thread.ofPlatform().name("workload-" + index).start(() -> {
                try {
                    WorkloadReport r = parts.get(index).run(duration, roles);
                    synchronized (reports) {
                        reports.set(index, r);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread t : threads) t.join();
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException("a part of " + name() + " failed: " + t, t);
        WorkloadReport.Builder all = new WorkloadReport.Builder();
        synchronized (reports) {
            reports.forEach(all::add);
        }
        return all.build();
    }
}
