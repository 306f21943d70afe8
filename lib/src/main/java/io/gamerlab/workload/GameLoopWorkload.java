package io.gamerlab.workload;

import io.gamerlab.sched.Role;
import io.gamerlab.sched.RoleRegistry;
import io.gamerlab.util.Histograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * A game in miniature, competing with CPU hogs: an input thread polled at a fixed rate, a frame
 * loop with a fixed amount of work per frame, and {@code hogs} threads that never sleep.
 *
 * <p>Two probe threads, identical 1 kHz timers of which only {@code probe-input} is declared an
 * input handler, measure in the same run how late each wakes ({@code probe_*_lateness_*}).
 *
 * <p>The periodic threads wake at absolute deadlines ({@link Periodic}), so a late wake-up is
 * measured, not hidden: this is the correction for coordinated omission that latency probes need.
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
 * {@code -evdev}. In a guest whose host injects, the reader reads past the window until the host's
 * {@link InputEndMarker} (at most {@link InputEndMarker#wait}), and reports
 * {@code input_end_marker_seen} (0 or 1) and {@code input_end_markers_read}; markers are in no other count. The reader prints {@link InputDevices#READING_INPUT} and
 * {@link InputDevices#STOPPED_READING} lines to standard output (the guest's console), between
 * which the guest backend injects input.
 *
 * <p>Roles: the frame thread is the game's. With a device it declares nothing: reading input makes
 * this process the scheduler's detected foreground game, whose undeclared threads get the game's
 * boost; with a timer it declares {@code GAME}. The hogs (stand-ins for other processes' work) and
 * {@code probe-other} declare {@code NONE}, which keeps them unboosted inside the game's process.
 */
public final class GameLoopWorkload implements Workload {

    public static final Parameter<Integer> HOGS = Parameter.threads("hogs",
            "CPU-hog threads beside the game, declared NONE; cpus: one per CPU", Parameter.PER_CPU, 0, 256);
    public static final Parameter<Boolean> FORK_STRESS = Parameter.onOff("fork_stress",
            "a thread that starts short-lived processes back to back (fork, exec, exit under load)", false);
    public static final Parameter<Duration> INPUT_PERIOD = Parameter.duration("input_period",
            "period of the input timer (where no input device is read) and of the two probes", "1ms", "100us", "1s");
    public static final Parameter<Duration> FRAME_PERIOD = Parameter.duration("frame_period",
            "period of the frame loop", "16.666667ms", "1ms", "1s");
    public static final Parameter<Duration> FRAME_WORK = Parameter.duration("frame_work",
            "CPU work per frame; shorter than frame_period", "4ms", "0s", "1s");

    public static final WorkloadKind KIND = new WorkloadKind("gameloop",
            "a game in miniature: input (the virtio mouse, or a timer), a frame loop, two probe timers, CPU hogs",
            List.of(HOGS, FORK_STRESS, INPUT_PERIOD, FRAME_PERIOD, FRAME_WORK), GameLoopWorkload::check,
            s -> new GameLoopWorkload(s, InputDevices.detect().orElse(null), InputEndMarker.expected()));

    private final int hogs;
    private final Duration inputPeriod;
    private final Duration framePeriod;
    private final Duration frameWork;
    private final Path inputDevice;  // null: poll a timer
    private final boolean forkStress;
    private final boolean awaitEndMarker;

    /** The game loop as {@code settings} say, its input thread reading {@code inputDevice} (an evdev node), or a timer if null. */
    GameLoopWorkload(Settings settings, Path inputDevice) {
        this(settings, inputDevice, false);
    }

    /** ... and with {@code awaitEndMarker}, reading past the window until the host's {@link InputEndMarker}. */
    GameLoopWorkload(Settings settings, Path inputDevice, boolean awaitEndMarker) {
        this.hogs = Parameter.resolveThreads(settings.get(HOGS));
        this.inputPeriod = settings.get(INPUT_PERIOD);
        this.framePeriod = settings.get(FRAME_PERIOD);
        this.frameWork = settings.get(FRAME_WORK);
        this.forkStress = settings.get(FORK_STRESS);
        this.inputDevice = inputDevice;
        this.awaitEndMarker = awaitEndMarker && inputDevice != null;
    }

    private static void check(Settings s) {
        if (s.get(FRAME_WORK).compareTo(s.get(FRAME_PERIOD)) >= 0)
            throw new IllegalArgumentException("gameloop: frame_work=" + s.format(FRAME_WORK)
                    + " must be shorter than frame_period=" + s.format(FRAME_PERIOD));
    }

    @Override
    public String name() {
        return "gameloop-h" + hogs + (inputDevice == null ? "" : "-evdev") + (forkStress ? "-forks" : "");
    }

    @Override
    public WorkloadReport run(Duration duration, RoleRegistry roles) throws InterruptedException {
        long workUnitsPerFrame = Spin.unitsFor(frameWork);
        Histogram inputLateness = Histograms.create();
        Histogram frameTimes = Histograms.create();
        Histogram probeInput = Histograms.create();
        Histogram probeOther = Histograms.create();
        AtomicLong missed = new AtomicLong();
        EvdevReader reader = inputDevice == null ? null : new EvdevReader(inputDevice, awaitEndMarker);
        Crew crew = new Crew(roles);
        Thread inputReader = null;
        if (reader == null) {
            crew.add("input", Role.INPUT, () -> Periodic.run(inputPeriod, crew::stopping,
                    deadline -> inputLateness.recordValue(System.nanoTime() - deadline)));
        } else {
            // Not declared: reading an evdev device is what the scheduler's hook classifies.
            inputReader = crew.add("input-reader", null, () -> readInput(reader, inputDevice, crew::stopping, awaitEndMarker, inputLateness));
        }
        // Reading an input device makes this process the foreground game (the scheduler's hook
        // detects it) and the frame thread a game thread; without a device, declare it.
        crew.add("frame", reader == null ? Role.GAME : null, () -> Periodic.run(framePeriod, crew::stopping, deadline -> {
            Spin.run(workUnitsPerFrame);
            long took = System.nanoTime() - deadline;
            frameTimes.recordValue(took);
            // A frame misses when its work ends after the next frame should have started.
            if (took > framePeriod.toNanos()) missed.incrementAndGet();
        }));
        // Two identical timers, one declared an input handler and one not: how long each waits from
        // its wake-up to running, compared within one run, is what the role boost buys.
        crew.add("probe-input", Role.INPUT, () -> Periodic.run(inputPeriod, crew::stopping,
                deadline -> probeInput.recordValue(System.nanoTime() - deadline)));
        // Declared without a role, so it stays unboosted in the game's own process.
        crew.add("probe-other", Role.NONE, () -> Periodic.run(inputPeriod, crew::stopping,
                deadline -> probeOther.recordValue(System.nanoTime() - deadline)));
        ForkStress forks = forkStress ? new ForkStress() : null;
        if (forks != null) crew.add("forker", null, () -> forks.run(crew::stopping));
        crew.addHogs(hogs);
        try {
            // A reader blocked in read() with no event coming wakes only by an interrupt; one awaiting
            // the host's end marker gets a bounded while to read it first.
            Thread blockedInRead = inputReader;
            Duration markerWait = awaitEndMarker ? InputEndMarker.wait(duration) : Duration.ZERO;
            crew.run(duration, () -> {
                if (blockedInRead != null) Crew.stopReaders(List.of(blockedInRead), markerWait);
            });
        } finally {
            if (reader != null) closeQuietly(reader);
        }

        WorkloadReport.Builder report = new WorkloadReport.Builder()
                .count("input_wakeups", reader == null ? inputLateness.getTotalCount() : reader.reads())
                .latency("input_lateness", inputLateness, "us")
                .count("frames", frameTimes.getTotalCount())
                .latency("frame_time", frameTimes, "ms")
                .count("frame_deadline_misses", missed.get())
                .latency("probe_input_lateness", probeInput, "us")
                .latency("probe_other_lateness", probeOther, "us");
        if (forks != null) report.count("processes_started", forks.started());
        if (reader != null) {
            report.count("input_events_read", reader.relativeEvents())
                    .count("input_reports_read", reader.reports())
                    .count("input_reports_dropped", reader.drops())
                    .value("input_device_event_number", "index", InputDevices.number(inputDevice));
            if (awaitEndMarker)
                report.count("input_end_marker_seen", reader.endMarkers() > 0 ? 1 : 0)
                        .count("input_end_markers_read", reader.endMarkers());
        }
        return report.build();
    }

    /**
     * Opens the device once the thread's role is declared (evdev keeps only 64 events for a reader
     * that has not read yet), says so on standard output, and reads until stopped, which it says
     * too (a guest's host injects input between the two lines). Counts cover the reads returned in
     * the workload's window and, with {@code awaitEndMarker}, after it until the host's end marker.
     * Each report's lateness is read time minus its kernel timestamp.
     */
    private static void readInput(EvdevReader reader, Path device, BooleanSupplier stopping, boolean awaitEndMarker,
                                  Histogram lateness) {
        try {
            reader.open();
            System.out.println(InputDevices.READING_INPUT + device);
            System.out.flush();
            while (!stopping.getAsBoolean() || (awaitEndMarker && reader.endMarkers() == 0))
                reader.readOnce((kernelMicros, readMicros, events) -> lateness.recordValue(Math.max(0, readMicros - kernelMicros) * 1_000));
        } catch (ClosedChannelException stop) {
            // the workload's window is over
        } catch (IOException e) {
            if (!stopping.getAsBoolean()) throw new UncheckedIOException("reading input from " + device + " failed", e);
        } finally {
            System.out.println(InputDevices.STOPPED_READING + reader.relativeEvents() + " motion events in " + reader.reports() + " reports, "
                    + reader.endMarkers() + " end markers");
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
}
