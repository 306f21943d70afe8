package io.gamerlab.experiment;

import io.gamerlab.workload.InputDevices;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * The host's input for one guest boot that may hold several runs: for each window in which a run's
 * workload reads input (from its {@link InputDevices#READING_INPUT} line on the console to its
 * {@link InputDevices#STOPPED_READING} line), an {@link InputInjector} with that run's settings
 * drives the guest's devices for that run's injection window; its account is kept for that run
 * (the run whose {@link GuestMain#STARTING_RUN} line came last before the window opened). A run
 * planned no injection gets none.
 */
final class InputWindows {

    /** How often the console is read for the next line: it is a file QEMU appends to. */
    private static final Duration POLL = Duration.ofMillis(20);

    private final Path qmp;
    private final ConsoleLines console;
    private final IntFunction<Plan> planOfRun;
    private final BooleanSupplier qemuAlive;
    private final Thread thread;
    private final Map<Integer, InputInjector.Stats> byRun = new TreeMap<>();  // guarded by itself
    private volatile boolean stopping;
    private volatile Window current;

    /**
     * What the host sends to one run's input: at these rates, into each of the run's reading
     * windows as {@code timings} says, the n-th timing for its n-th window (the last for any later
     * one): a run with a warm-up reads twice, first for the warm-up's length.
     */
    record Plan(InputInjector.Settings settings, List<Timing> timings) {
        Plan {
            if (timings.isEmpty()) throw new IllegalArgumentException("a plan of injection needs the timing of at least one window");
            timings = List.copyOf(timings);
        }

        /** One timing for every window of the run. */
        Plan(InputInjector.Settings settings, Duration window, Duration endMarkers) {
            this(settings, List.of(new Timing(window, endMarkers)));
        }

        Timing timing(int windowOfRun) {
            return timings.get(Math.min(windowOfRun, timings.size() - 1));
        }
    }

    /** Input for at most {@code window}, then end markers for at most {@code endMarkers} (zero: none) until the reader says it stopped. */
    record Timing(Duration window, Duration endMarkers) { }

    /** The injector ready for (or in) the {@code window}-th reading window, and the run it injects for. */
    private record Window(int run, int window, InputInjector injector) { }

    private InputWindows(Path qmp, Path console, IntFunction<Plan> planOfRun, BooleanSupplier qemuAlive) {
        this.qmp = qmp;
        this.console = new ConsoleLines(console);
        this.planOfRun = planOfRun;
        this.qemuAlive = qemuAlive;
        this.thread = Thread.ofPlatform().daemon().name("input-windows").unstarted(this::watch);
    }

    /** Starts watching {@code console}; returns at once. {@code planOfRun} may plan none (null) for a run. */
    static InputWindows start(Path qmp, Path console, IntFunction<Plan> planOfRun, BooleanSupplier qemuAlive) {
        InputWindows windows = new InputWindows(qmp, console, planOfRun, qemuAlive);
        windows.thread.start();
        return windows;
    }

    /** Stops any injection under way and returns each run's account, by run index. */
    Map<Integer, InputInjector.Stats> stop() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join(Duration.ofSeconds(5).toMillis());
        Window left = current;
        if (left != null) {
            InputInjector.Stats stats = left.injector().stop();
            // A window that opened and never closed: the guest stopped first. One that never opened sent nothing.
            if (console.readings() > left.window() && console.runOfReading(left.window()) == left.run()) record(left.run(), stats);
        }
        synchronized (byRun) {
            return Map.copyOf(byRun);
        }
    }

    /**
     * Keeps an injector connected and waiting for the next window, for the run under way: the
     * connection and QMP's handshake take a while on a busy host, and a window's first events must
     * not wait for them. A run that starts before the window opens gets an injector of its own.
     */
    private void watch() {
        try {
            for (int window = 0; !stopping && qemuAlive.getAsBoolean(); ) {
                int opened = window;
                console.readNew();
                int run = console.lastRun();
                Plan plan = planOfRun.apply(run);
                Timing timing = plan == null ? null : plan.timing(console.readingsOf(run));
                InputInjector injector = plan == null ? null : InputInjector.start(qmp, plan.settings(), timing.window(), timing.endMarkers(),
                        () -> console.readings() > opened, () -> console.stops() > opened, qemuAlive);
                current = injector == null ? null : new Window(run, opened, injector);
                boolean open = await(() -> console.readings() > opened || console.lastRun() != run);
                if (open && console.readings() > opened && console.runOfReading(opened) == run) {
                    if (!await(() -> console.stops() > opened)) return;  // stop() takes the account
                    current = null;
                    if (injector != null) record(run, injector.stop());
                    window++;
                } else {
                    current = null;  // another run started first: this injector never sent
                    if (injector != null) injector.stop();
                    if (!open) return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(int run, InputInjector.Stats stats) {
        synchronized (byRun) {
            byRun.put(run, stats);
        }
    }

    /** Reads what the console gained, then asks {@code condition}, until it holds (true) or the guest is gone or we stop (false). */
    private boolean await(BooleanSupplier condition) throws InterruptedException {
        while (!stopping && qemuAlive.getAsBoolean()) {
            console.readNew();
            if (condition.getAsBoolean()) return true;
            Thread.sleep(POLL);
        }
        return false;
    }

    /**
     * The guest's console as far as read: only what QEMU appended since the last read is read, a
     * line at a time, so watching a long boot costs the host little. The watcher reads; the
     * injectors ask what was read.
     */
    private static final class ConsoleLines {
        private final Path file;
        private long offset;
        private final StringBuilder partial = new StringBuilder();
        private int lastRun;
        private final List<Integer> readingRuns = new ArrayList<>();
        private int stops;

        ConsoleLines(Path file) {
            this.file = file;
        }

        synchronized void readNew() {
            if (!Files.isRegularFile(file)) return;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                int n;
                while ((n = ch.read(buffer, offset)) > 0) {
                    offset += n;
                    partial.append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
                    buffer.clear();
                }
            } catch (IOException e) {
                return;  // read again at the next poll
            }
            int end;
            while ((end = partial.indexOf("\n")) >= 0) {
                line(partial.substring(0, end));
                partial.delete(0, end + 1);
            }
        }

        private void line(String line) {
            int run = line.indexOf(GuestMain.STARTING_RUN);
            if (run >= 0) {
                int from = run + GuestMain.STARTING_RUN.length();
                int to = from;
                while (to < line.length() && Character.isDigit(line.charAt(to))) to++;
                if (to > from) lastRun = Integer.parseInt(line.substring(from, to));
            }
            if (line.contains(InputDevices.READING_INPUT)) readingRuns.add(lastRun);
            if (line.contains(InputDevices.STOPPED_READING)) stops++;
        }

        synchronized int readings() {
            return readingRuns.size();
        }

        /** How many reading lines came while {@code run} was the last run started. */
        synchronized int readingsOf(int run) {
            return (int) readingRuns.stream().filter(r -> r == run).count();
        }

        /** The run that started last before the {@code window}-th reading line (0 if none said). */
        synchronized int runOfReading(int window) {
            return readingRuns.get(window);
        }

        synchronized int stops() {
            return stops;
        }

        /** The run whose start line came last (0 before any). */
        synchronized int lastRun() {
            return lastRun;
        }
    }
}
