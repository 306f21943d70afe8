package io.gamerlab.workload;

import io.gamerlab.sched.Role;
import io.gamerlab.sched.RoleRegistry;
import io.gamerlab.util.ThreadId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The threads of one workload run: each declares its role (and pipeline stage) to the scheduler
 * first; once all have, they start their work together, and the window lasts the run's duration
 * unless a thread fails; then every thread is told to stop and joined, and the first failure is
 * thrown. A declaration that fails (the scheduler refused it) ends the run at once instead of
 * hanging it.
 */
final class Crew {

    interface Body {
        void run() throws Exception;
    }

    private record Member(Role role, int stage, Body body) { }

    private final RoleRegistry roles;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private CountDownLatch ready;  // set before any thread starts
    private final CountDownLatch go = new CountDownLatch(1);

    Crew(RoleRegistry roles) {
        this.roles = roles;
    }

    /**
     * A thread, started by {@link #run}, that declares {@code role} (null: declares nothing) and,
     * if {@code stage} > 0, its pipeline stage, then runs {@code body}.
     */
    Thread add(String name, Role role, int stage, Body body) {
        Member m = new Member(role, stage, body);
        Thread t = Thread.ofPlatform().name(name).unstarted(() -> runMember(m));
        threads.add(t);
        return t;
    }

    Thread add(String name, Role role, Body body) {
        return add(name, role, 0, body);
    }

    /**
     * {@code count} threads that never sleep: stand-ins for other processes' work (a build, a
     * browser). They declare {@code NONE}, so they stay unboosted even inside a detected game's process.
     */
    void addHogs(int count) {
        for (int i = 0; i < count; i++) add("hog-" + i, Role.NONE, () -> {
            while (!stopping()) Spin.run(10_000);
        });
    }

    boolean stopping() {
        return stop.get();
    }

    /**
     * Starts every thread, waits until all have declared themselves, lets them run for
     * {@code duration}, stops them ({@code onStop} wakes those blocked where the stop flag cannot
     * reach, e.g. in read()), joins them and throws the first failure.
     */
    void run(Duration duration, Runnable onStop) throws InterruptedException {
        ready = new CountDownLatch(threads.size());
        threads.forEach(Thread::start);
        try {
            ready.await();
            go.countDown();
            if (failure.get() == null) failed.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            stop.set(true);
            go.countDown();
            onStop.run();
            for (Thread t : threads) t.join();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException("a workload thread failed: " + t, t);
    }

    /**
     * Stops {@code readers}, threads that may be blocked in read(): gives them {@code grace} in all
     * to end by themselves (to read what they still await), then interrupts those left. Called as a
     * {@link #run} stop action, after the stop flag is set.
     */
    static void stopReaders(List<Thread> readers, Duration grace) {
        long until = System.nanoTime() + grace.toNanos();
        try {
            for (Thread t : readers) {
                long left = until - System.nanoTime();
                if (left > 0) t.join(Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            readers.forEach(Thread::interrupt);
        }
    }

    private void runMember(Member m) {
        try {
            if (m.role() != null) roles.declare(ThreadId.current(), m.role());
            if (m.stage() > 0) roles.declareStage(ThreadId.current(), m.stage());
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            ready.countDown();
        }
        try {
            go.await();
            if (failure.get() != null) return;
            m.body().run();
        } catch (InterruptedException | java.nio.channels.ClosedChannelException stopped) {
            if (!stopping()) fail(stopped);  // how a thread blocked in a wait or a read is stopped
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) failed.countDown();
    }
}
