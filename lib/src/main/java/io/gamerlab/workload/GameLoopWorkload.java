package io.gamerlab.workload;

import io.gamerlab.sched.Role;
import io.gamerlab.sched.RoleRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A game in miniature, competing with CPU hogs: an input thread polled at a fixed rate, a frame
 * loop with a fixed amount of work per frame, and {@code hogs} threads that never sleep.
 *
 * <p>Both periodic threads wake at absolute deadlines (the next deadline is the previous one plus
 * the period, never "now plus the period"), so a late wake-up is measured, not hidden: this is the
 * correction for coordinated omission that latency probes need.
 */
public final class GameLoopWorkload implements Workload {

    private final int hogs;
    private final Duration inputPeriod;
    private final Duration framePeriod;
    private final Duration frameWork;

    public GameLoopWorkload(int hogs, Duration inputPeriod, Duration framePeriod, Duration frameWork) {
        if (hogs < 0) throw new IllegalArgumentException("hogs must be >= 0, was " + hogs);
        if (!inputPeriod.isPositive() || !framePeriod.isPositive())
            throw new IllegalArgumentException("periods must be > 0, were " + inputPeriod + " and " + framePeriod);
        if (frameWork.isNegative()) throw new IllegalArgumentException("frame work must be >= 0, was " + frameWork);
        if (frameWork.compareTo(framePeriod) >= 0)
            throw new IllegalArgumentException("frame work " + frameWork + " must be shorter than the frame period " + framePeriod);
        this.hogs = hogs;
        this.inputPeriod = inputPeriod;
        this.framePeriod = framePeriod;
        this.frameWork = frameWork;
    }

    /** 1 kHz input, 60 Hz frames of 4 ms work, and one hog per CPU: a busy but playable machine. */
    public static GameLoopWorkload standard() {
        return new GameLoopWorkload(Runtime.getRuntime().availableProcessors(),
                Duration.ofMillis(1), Duration.ofNanos(16_666_667), Duration.ofMillis(4));
    }

    public GameLoopWorkload withHogs(int count) {
        return new GameLoopWorkload(count, inputPeriod, framePeriod, frameWork);
    }

    @Override
    public String name() {
        return "gameloop-h" + hogs;
    }

    @Override
    public WorkloadReport run(Duration duration, RoleRegistry roles) throws InterruptedException {
        long workUnitsPerFrame = calibrate(frameWork);
        AtomicBoolean stop = new AtomicBoolean();
        LatencyRecorder inputLateness = new LatencyRecorder();
        LatencyRecorder frameTimes = new LatencyRecorder();
        CountDownLatch ready = new CountDownLatch(2 + hogs);
        AtomicReference<RuntimeException> declareFailed = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().name("input").unstarted(() -> {
            declare(roles, Role.INPUT, declareFailed, ready);
            periodic(inputPeriod, stop, deadline -> inputLateness.record(System.nanoTime() - deadline));
        }));
        threads.add(Thread.ofPlatform().name("frame").unstarted(() -> {
            declare(roles, Role.GAME, declareFailed, ready);
            periodic(framePeriod, stop, deadline -> {
                spin(workUnitsPerFrame);
                frameTimes.record(System.nanoTime() - deadline);
            });
        }));
        for (int i = 0; i < hogs; i++) {
            threads.add(Thread.ofPlatform().name("hog-" + i).unstarted(() -> {
                ready.countDown();
                while (!stop.get()) spin(10_000);
            }));
        }
        threads.forEach(Thread::start);
        ready.await();
        if (declareFailed.get() == null) Thread.sleep(duration);
        stop.set(true);
        for (Thread t : threads) t.join();
        if (declareFailed.get() != null) throw declareFailed.get();

        // A frame misses when its work ends after the next frame should have started.
        long missed = frameTimes.countAbove(framePeriod.toNanos());
        return new WorkloadReport(List.of(
                new WorkloadReport.Metric("input_wakeups", "count", inputLateness.count()),
                new WorkloadReport.Metric("input_lateness_p50", "us", inputLateness.quantile(0.50) / 1e3),
                new WorkloadReport.Metric("input_lateness_p99", "us", inputLateness.quantile(0.99) / 1e3),
                new WorkloadReport.Metric("input_lateness_max", "us", inputLateness.quantile(1.0) / 1e3),
                new WorkloadReport.Metric("frames", "count", frameTimes.count()),
                new WorkloadReport.Metric("frame_time_p50", "ms", frameTimes.quantile(0.50) / 1e6),
                new WorkloadReport.Metric("frame_time_p99", "ms", frameTimes.quantile(0.99) / 1e6),
                new WorkloadReport.Metric("frame_deadline_misses", "count", missed)));
    }

    /** Declares the calling thread's role; a failure is handed to the caller, never left to hang it. */
    private static void declare(RoleRegistry roles, Role role, AtomicReference<RuntimeException> failed, CountDownLatch ready) {
        try {
            roles.declare(ThreadId.current(), role);
        } catch (RuntimeException e) {
            failed.compareAndSet(null, e);
        } finally {
            ready.countDown();
        }
    }

    private interface Tick {
        void at(long deadlineNanos);
    }

    /** Wakes at absolute deadlines; a tick that overran is followed at once by the next one. */
    private static void periodic(Duration period, AtomicBoolean stop, Tick tick) {
        long step = period.toNanos();
        long deadline = System.nanoTime() + step;
        while (!stop.get()) {
            long wait = deadline - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            if (System.nanoTime() < deadline) continue;  // woke early (spurious unpark)
            tick.at(deadline);
            deadline += step;
        }
    }

    private static volatile long sink;

    /** A fixed amount of CPU work, so a frame costs the same whatever the scheduler does. */
    private static void spin(long units) {
        long x = sink;
        for (long i = 0; i < units; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        sink = x;
    }

    /** How many work units take {@code target} on this machine now, before any hog starts. */
    private static long calibrate(Duration target) {
        long units = 10_000;
        while (true) {
            long start = System.nanoTime();
            spin(units);
            long took = System.nanoTime() - start;
            if (took >= 20_000_000L) return Math.max(1, units * target.toNanos() / took);
            units *= 2;
        }
    }
}
