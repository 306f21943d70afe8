package io.gamerlab.experiment;

import io.gamerlab.util.CpuAffinity;
import io.gamerlab.util.ThreadId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Affinity that changes while a task sleeps, which stress-ng's affinity stressors rarely cause
 * (they move themselves while running, and the kernel migrates a running task without asking the
 * scheduler): one sleeper per CPU sleeps 1 ms at a time while a mover, every 2 ms, lets each
 * sleeper run on every CPU but one, a different one each time. A sleeper then often wakes with its
 * last CPU no longer allowed, and the scheduler's select_cpu must not pick that CPU. The kernel
 * asks select_cpu only about a task that may run on more than one CPU, so this reaches it on
 * machines with 3 CPUs or more; with 2, each sleeper is simply moved between the two.
 */
final class AffinityChurn implements AutoCloseable {

    /** The mover stops first: moving a sleeper that already ended fails (ESRCH). */
    private final AtomicBoolean stopMoving = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong wakeups = new AtomicLong();
    private final AtomicLong moves = new AtomicLong();
    private final List<Thread> sleepers = new ArrayList<>();
    private Thread mover;
    private volatile RuntimeException failure;

    private AffinityChurn() { }

    static AffinityChurn start() throws InterruptedException {
        AffinityChurn churn = new AffinityChurn();
        int cpus = Runtime.getRuntime().availableProcessors();
        int[] tids = new int[cpus];
        CountDownLatch ready = new CountDownLatch(cpus);
        for (int i = 0; i < cpus; i++) {
            int index = i;
            churn.sleepers.add(Thread.ofPlatform().name("churn-sleeper-" + i).start(() -> {
                tids[index] = ThreadId.current();
                ready.countDown();
                while (!churn.stop.get()) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                    churn.wakeups.incrementAndGet();
                }
            }));
        }
        ready.await();
        AtomicInteger round = new AtomicInteger();
        churn.mover = Thread.ofPlatform().name("churn-mover").start(() -> {
            try {
                while (!churn.stopMoving.get()) {
                    int r = round.getAndIncrement();
                    for (int i = 0; i < cpus; i++) {
                        BitSet allowed = new BitSet();
                        allowed.set(0, cpus);
                        if (cpus > 1) allowed.clear((r + i) % cpus);
                        CpuAffinity.set(tids[i], allowed);
                        churn.moves.incrementAndGet();
                    }
                    Thread.sleep(2);
                }
            } catch (InterruptedException e) {
                // stopped
            } catch (RuntimeException e) {
                churn.failure = e;
            }
        });
        return churn;
    }

    long wakeups() {
        return wakeups.get();
    }

    long moves() {
        return moves.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopMoving.set(true);
        mover.join();
        stop.set(true);
        for (Thread t : sleepers) t.join();
        if (failure != null) throw failure;
    }
}
