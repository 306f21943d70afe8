package io.gamerlab.workload;

import io.gamerlab.util.ThreadId;
import io.gamerlab.sched.Role;
import io.gamerlab.sched.RoleRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A game in miniature, competing with CPU hogs: an input thread polled at a fixed rate, a frame
 * loop with a fixed amount of work per frame, and {@code hogs} threads that never sleep.
 *
 * <p>Two probe threads, identical 1 kHz timers of which only {@code probe-input} is declared an
 * input handler, measure in the same run how late each wakes ({@code probe_*_lateness_*}).
 *
 * <p>The periodic threads wake at absolute deadlines (the next deadline is the previous one plus
 * the period, never "now plus the period"), so a late wake-up is measured, not hidden: this is the
 * correction for coordinated omission that latency probes need.
 *
 * <p>With an input device ({@link InputDevices}: in the guest, the virtio mouse the host drives),
 * the input thread is an {@code input-reader} blocked in read() on /dev/input/eventN instead of a
 * timer: woken by real events through the kernel's input core. It declares no role: reading an
 * evdev device is what the scheduler's {@code evdev_read} hook classifies. Its metrics keep their names with
 * these meanings: {@code input_wakeups} counts reads that returned events, and
 * {@code input_lateness_*} is the time from the kernel's timestamp of each report to the moment
 * read() returned it. It adds {@code input_events_read} (EV_REL events), {@code input_reports_read}
 * (SYN_REPORTs), {@code input_reports_dropped} (SYN_DROPPED: the reader fell behind) and
 * {@code input_device_event_number} (N of /dev/input/eventN), and the workload's name gains
 * {@code -evdev}. The reader prints {@link #READING_INPUT} and {@link #STOPPED_READING} lines to
 * standard output (the guest's console), between which the guest backend injects input.
 *
 * <p>Roles: the frame thread is the game's. With a device it declares nothing: reading input makes
 * this process the scheduler's detected foreground game, whose undeclared threads get the game's
 * boost; with a timer it declares {@code GAME}. The hogs (stand-ins for other processes' work) and
 * {@code probe-other} declare {@code NONE}, which keeps them unboosted inside the game's process.
 */
public final class GameLoopWorkload implements Workload {

    private final int hogs;
    private final Duration inputPeriod;
    private final Duration framePeriod;
    private final Duration frameWork;
    private final Path inputDevice;  // null: poll a timer
    private final boolean forkStress;

    /** What the input-reader prints, followed by the device's path, when it starts reading. */
    public static final String READING_INPUT = "gamerlab: input-reader reading ";
    /** What it prints, followed by what it read, when the window is over. */
    public static final String STOPPED_READING = "gamerlab: input-reader stopped, ";

    public GameLoopWorkload(int hogs, Duration inputPeriod, Duration framePeriod, Duration frameWork) {
        this(hogs, inputPeriod, framePeriod, frameWork, null, false);
    }

    private GameLoopWorkload(int hogs, Duration inputPeriod, Duration framePeriod, Duration frameWork, Path inputDevice,
                             boolean forkStress) {
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
        this.inputDevice = inputDevice;
        this.forkStress = forkStress;
    }

    /**
     * 1 kHz input, 60 Hz frames of 4 ms work, and one hog per CPU: a busy but playable machine.
     * Input comes from the device {@link InputDevices#detect()} finds, if any, else from a 1 kHz timer.
     */
    public static GameLoopWorkload standard() {
        return new GameLoopWorkload(Runtime.getRuntime().availableProcessors(),
                Duration.ofMillis(1), Duration.ofNanos(16_666_667), Duration.ofMillis(4), InputDevices.detect().orElse(null),
                false);
    }

    public GameLoopWorkload withHogs(int count) {
        return new GameLoopWorkload(count, inputPeriod, framePeriod, frameWork, inputDevice, forkStress);
    }

    /** This workload with its input thread reading {@code device} (an evdev node), or polling a timer if null. */
    public GameLoopWorkload withInputDevice(Path device) {
        return new GameLoopWorkload(hogs, inputPeriod, framePeriod, frameWork, device, forkStress);
    }

    /**
     * This workload plus a thread that starts short-lived processes back to back: the fork and exit
     * paths (init_task, enable, exit_task) that a scheduler must survive under load, as scx's CI
     * stress does with stress-ng -f.
     */
    public GameLoopWorkload withForkStress(boolean on) {
        return new GameLoopWorkload(hogs, inputPeriod, framePeriod, frameWork, inputDevice, on);
    }

    /** The evdev device the input thread reads, if it reads one. */
    public Optional<Path> inputDevice() {
        return Optional.ofNullable(inputDevice);
    }

    @Override
    public String name() {
        return "gameloop-h" + hogs + (inputDevice == null ? "" : "-evdev") + (forkStress ? "-forks" : "");
    }

    @Override
    public WorkloadReport run(Duration duration, RoleRegistry roles) throws InterruptedException {
        long workUnitsPerFrame = calibrate(frameWork);
        AtomicBoolean stop = new AtomicBoolean();
        LatencyRecorder inputLateness = new LatencyRecorder();
        LatencyRecorder frameTimes = new LatencyRecorder();
        LatencyRecorder probeInput = new LatencyRecorder();
        LatencyRecorder probeOther = new LatencyRecorder();
        CountDownLatch ready = new CountDownLatch(4 + hogs);
        AtomicReference<RuntimeException> declareFailed = new AtomicReference<>();
        AtomicReference<IOException> readFailed = new AtomicReference<>();
        EvdevReader reader = inputDevice == null ? null : new EvdevReader(inputDevice);
        List<Thread> threads = new ArrayList<>();
        Thread input = reader == null
                ? Thread.ofPlatform().name("input").unstarted(() -> {
                    declare(roles, Role.INPUT, declareFailed, ready);
                    periodic(inputPeriod, stop, deadline -> inputLateness.record(System.nanoTime() - deadline));
                })
                : Thread.ofPlatform().name("input-reader").unstarted(() -> {
                    // Not declared: reading an evdev device is what the scheduler's hook classifies.
                    ready.countDown();
                    readInput(reader, inputDevice, stop, inputLateness, readFailed);
                });
        threads.add(input);
        threads.add(Thread.ofPlatform().name("frame").unstarted(() -> {
            // Reading an input device makes this process the foreground game (the scheduler's
            // hook detects it) and the frame thread a game thread; without a device, declare it.
            if (reader == null) declare(roles, Role.GAME, declareFailed, ready);
            else ready.countDown();
            periodic(framePeriod, stop, deadline -> {
                spin(workUnitsPerFrame);
                frameTimes.record(System.nanoTime() - deadline);
            });
        }));
        // Two identical timers, one declared an input handler and one not: how long each waits from
        // its wake-up to running, compared within one run, is what the role boost buys.
        threads.add(Thread.ofPlatform().name("probe-input").unstarted(() -> {
            declare(roles, Role.INPUT, declareFailed, ready);
            periodic(inputPeriod, stop, deadline -> probeInput.record(System.nanoTime() - deadline));
        }));
        threads.add(Thread.ofPlatform().name("probe-other").unstarted(() -> {
            // Declared without a role, so it stays unboosted in the game's own process.
            declare(roles, Role.NONE, declareFailed, ready);
            periodic(inputPeriod, stop, deadline -> probeOther.record(System.nanoTime() - deadline));
        }));
        ForkStress forks = forkStress ? new ForkStress() : null;
        if (forks != null) threads.add(Thread.ofPlatform().name("forker").unstarted(() -> forks.run(stop)));
        for (int i = 0; i < hogs; i++) {
            threads.add(Thread.ofPlatform().name("hog-" + i).unstarted(() -> {
                // Stand-ins for other processes' work (a build, a browser): never the game's.
                declare(roles, Role.NONE, declareFailed, ready);
                while (!stop.get()) spin(10_000);
            }));
        }
        threads.forEach(Thread::start);
        ready.await();
        if (declareFailed.get() == null) Thread.sleep(duration);
        stop.set(true);
        // A reader blocked in read() with no event coming wakes only this way.
        if (reader != null) input.interrupt();
        for (Thread t : threads) t.join();
        if (reader != null) closeQuietly(reader);
        if (declareFailed.get() != null) throw declareFailed.get();
        if (forks != null && forks.failure() != null)
            throw new UncheckedIOException("the fork stress could not start a process", forks.failure());
        if (readFailed.get() != null)
            throw new UncheckedIOException("reading input from " + inputDevice + " failed", readFailed.get());

        // A frame misses when its work ends after the next frame should have started.
        long missed = frameTimes.countAbove(framePeriod.toNanos());
        List<WorkloadReport.Metric> metrics = new ArrayList<>(List.of(
                new WorkloadReport.Metric("input_wakeups", "count", reader == null ? inputLateness.count() : reader.reads()),
                new WorkloadReport.Metric("input_lateness_p50", "us", inputLateness.quantile(0.50) / 1e3),
                new WorkloadReport.Metric("input_lateness_p99", "us", inputLateness.quantile(0.99) / 1e3),
                new WorkloadReport.Metric("input_lateness_max", "us", inputLateness.quantile(1.0) / 1e3),
                new WorkloadReport.Metric("frames", "count", frameTimes.count()),
                new WorkloadReport.Metric("frame_time_p50", "ms", frameTimes.quantile(0.50) / 1e6),
                new WorkloadReport.Metric("frame_time_p99", "ms", frameTimes.quantile(0.99) / 1e6),
                new WorkloadReport.Metric("frame_deadline_misses", "count", missed),
                new WorkloadReport.Metric("probe_input_lateness_p50", "us", probeInput.quantile(0.50) / 1e3),
                new WorkloadReport.Metric("probe_input_lateness_p99", "us", probeInput.quantile(0.99) / 1e3),
                new WorkloadReport.Metric("probe_other_lateness_p50", "us", probeOther.quantile(0.50) / 1e3),
                new WorkloadReport.Metric("probe_other_lateness_p99", "us", probeOther.quantile(0.99) / 1e3)));
        if (forks != null) metrics.add(new WorkloadReport.Metric("processes_started", "count", forks.started()));
        if (reader != null) {
            metrics.add(new WorkloadReport.Metric("input_events_read", "count", reader.relativeEvents()));
            metrics.add(new WorkloadReport.Metric("input_reports_read", "count", reader.reports()));
            metrics.add(new WorkloadReport.Metric("input_reports_dropped", "count", reader.drops()));
            metrics.add(new WorkloadReport.Metric("input_device_event_number", "index", InputDevices.number(inputDevice)));
        }
        return new WorkloadReport(metrics);
    }

    /**
     * Opens the device once the thread's role is declared (evdev keeps only 64 events for a reader
     * that has not read yet), says so on standard output, and reads until stopped, which it says
     * too (a guest's host injects input between the two lines). Counts cover only reads returned before the
     * stop: the workload's window. Each report's lateness is read time minus its kernel timestamp.
     */
    private static void readInput(EvdevReader reader, Path device, AtomicBoolean stop, LatencyRecorder lateness,
                                  AtomicReference<IOException> failed) {
        try {
            reader.open();
            System.out.println(READING_INPUT + device);
            System.out.flush();
            while (!stop.get())
                reader.readOnce((kernelMicros, readMicros) -> lateness.record(Math.max(0, readMicros - kernelMicros) * 1_000));
        } catch (ClosedChannelException stopped) {
            // the workload's window is over
        } catch (IOException e) {
            if (!stop.get()) failed.set(e);
        } finally {
            System.out.println(STOPPED_READING + reader.relativeEvents() + " motion events in " + reader.reports() + " reports");
            System.out.flush();
        }
    }

    private static void closeQuietly(EvdevReader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // closed by the interrupt already
        }
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
