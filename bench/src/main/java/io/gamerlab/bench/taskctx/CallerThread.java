package io.gamerlab.bench.taskctx;

import io.gamerlab.bench.host.Syscalls;
import io.gamerlab.util.ThreadId;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One platform thread, pinned to one CPU, that calls getpgid(0) when told to: a number of times, or
 * as often as it can from a common start instant to a deadline. It lives across trials, so its
 * kernel thread id is known before the BPF object that names it is loaded, and it counts every
 * call it makes, so a BPF program's own count can be checked against it.
 */
final class CallerThread implements AutoCloseable {
    /** Calls between two clock reads: some 10-30 us of work, the deadline's overshoot. */
    private static final int CALLS_PER_CHECK = 32;

    /** What one timed run of calls measured. */
    record Spin(long calls, long elapsedNs) {
        double nsPerCall() {
            return calls == 0 ? Double.NaN : (double) elapsedNs / calls;
        }
    }

    /** The thread, as an executor of one: every call runs on it, in order. */
    private final ExecutorService thread;
    private final String name;
    private final int cpu;
    /** Its kernel thread id, once pinned. */
    private final int tid;
    /** Calls so far; only the caller thread touches it, others read it through a task's result. */
    private long calls;

    /** Starts the thread and pins it to {@code cpu}. */
    CallerThread(String name, int cpu) {
        thread = Executors.newSingleThreadExecutor(task -> Thread.ofPlatform().name(name).daemon().unstarted(task));
        this.name = name;
        this.cpu = cpu;
        tid = await(thread.submit(() -> {
            Syscalls.pinTo(cpu);
            return ThreadId.current();
        }));
    }

    int tid() {
        return tid;
    }

    int cpu() {
        return cpu;
    }

    /** Every call this thread made so far. */
    long totalCalls() {
        return await(thread.submit(() -> calls));
    }

    /** Makes {@code n} calls and returns when they are done. */
    void call(int n) {
        await(thread.submit(() -> {
            for (int i = 0; i < n; i++) Syscalls.getpgid(0);
            calls += n;
            return null;
        }));
    }

    /** Calls from {@code startAt} until {@code endAt} ({@link System#nanoTime()}), in the background. */
    Future<Spin> spin(long startAt, long endAt) {
        return thread.submit(() -> {
            long early = startAt - System.nanoTime() - TimeUnit.MICROSECONDS.toNanos(200);
            if (early > 0) LockSupport.parkNanos(early);
            while (System.nanoTime() < startAt) Thread.onSpinWait();
            long made = 0;
            long start = System.nanoTime();
            long now;
            do {
                for (int i = 0; i < CALLS_PER_CHECK; i++) Syscalls.getpgid(0);
                made += CALLS_PER_CHECK;
                now = System.nanoTime();
            } while (now < endAt);
            calls += made;
            return new Spin(made, now - start);
        });
    }

    /** The result of a task of this thread; its failure as an IllegalStateException that names the thread. */
    <T> T await(Future<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + " (cpu " + cpu + ") failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) throw new IllegalStateException(name + " did not stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (tid " + tid + ", cpu " + cpu + ")";
    }
}
