package io.gamerlab.experiment;

import io.gamerlab.workload.InputDevices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    private final Path console;
    private final IntFunction<Plan> planOfRun;
    private final BooleanSupplier qemuAlive;
    private final Thread thread;
    private final Map<Integer, InputInjector.Stats> byRun = new TreeMap<>();  // guarded by itself
    private volatile boolean stopping;
    private volatile Window current;

    /** What the host sends to one run's input: at these rates, for at most this long. */
    record Plan(InputInjector.Settings settings, Duration window) { }

    /** The injector of the window under way, and the run it injects for. */
    private record Window(int run, InputInjector injector) { }

    private InputWindows(Path qmp, Path console, IntFunction<Plan> planOfRun, BooleanSupplier qemuAlive) {
        this.qmp = qmp;
        this.console = console;
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
        if (left != null) record(left.run(), left.injector().stop());  // the window never closed: the guest stopped first
        synchronized (byRun) {
            return Map.copyOf(byRun);
        }
    }

    private void watch() {
        try {
            for (int window = 0; !stopping && qemuAlive.getAsBoolean(); window++) {
                int opened = window;
                if (!await(() -> count(InputDevices.READING_INPUT) > opened)) return;
                int run = runBefore(window);
                Plan plan = planOfRun.apply(run);
                if (plan == null) {
                    if (!await(() -> count(InputDevices.STOPPED_READING) > opened)) return;
                    continue;
                }
                InputInjector injector = InputInjector.start(qmp, plan.settings(), plan.window(), () -> true,
                        () -> count(InputDevices.STOPPED_READING) > opened, qemuAlive);
                current = new Window(run, injector);
                if (!await(() -> count(InputDevices.STOPPED_READING) > opened)) return;  // stop() takes the account
                current = null;
                record(run, injector.stop());
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

    /** Waits until {@code condition} holds (true) or the guest is gone or we stop (false). */
    private boolean await(BooleanSupplier condition) throws InterruptedException {
        while (!stopping && qemuAlive.getAsBoolean()) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(POLL);
        }
        return false;
    }

    /** The index of the run that started last before the {@code window}-th reading line (0 if none says). */
    private int runBefore(int window) {
        String text = text();
        int at = -1;
        for (int i = 0; i <= window; i++) {
            int next = text.indexOf(InputDevices.READING_INPUT, at + 1);
            if (next < 0) break;
            at = next;
        }
        int line = text.lastIndexOf(GuestMain.STARTING_RUN, at < 0 ? text.length() : at);
        if (line < 0) return 0;
        int from = line + GuestMain.STARTING_RUN.length();
        int to = from;
        while (to < text.length() && Character.isDigit(text.charAt(to))) to++;
        return to > from ? Integer.parseInt(text.substring(from, to)) : 0;
    }

    private int count(String marker) {
        String text = text();
        int n = 0;
        for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) n++;
        return n;
    }

    private String text() {
        try {
            return Files.isRegularFile(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
