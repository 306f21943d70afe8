package io.gamerlab.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Tells a stuck guest from a slow one. Under TCG a guest gets as much done as QEMU gets CPU: on a
 * host whose CPUs are shared with other work, a boot that takes 30 s alone takes minutes, so a
 * budget of wall-clock time fails healthy guests on busy machines. The budget is therefore CPU
 * time that QEMU actually received: a guest that works but never finishes (a loop, a panic
 * storm) exhausts it, however busy the host. A guest that hangs idle (an init waiting forever)
 * uses almost no CPU; it is caught when QEMU has been nearly idle, and the console silent, for a
 * while. A wall-clock cap, many budgets long, bounds the rest.
 */
final class GuestWatchdog {

    /** QEMU below this share of one CPU is idle: a guest at work keeps its vCPU thread busy. */
    private static final double IDLE_SHARE = 0.01;
    private static final int WALL_CAP_BUDGETS = 10;
    private static final Duration POLL = Duration.ofSeconds(1);
    /** How long a guest may sit idle with a silent console before it counts as hung. */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(60);

    private final Duration cpuBudget;
    private final Duration idleLimit;
    private final Path console;

    /** A guest given {@code cpuBudget} of QEMU's CPU time, idle for at most {@link #IDLE_LIMIT}. */
    GuestWatchdog(Duration cpuBudget, Path console) {
        this(cpuBudget, IDLE_LIMIT, console);
    }

    GuestWatchdog(Duration cpuBudget, Duration idleLimit, Path console) {
        this.cpuBudget = cpuBudget;
        this.idleLimit = idleLimit;
        this.console = console;
    }

    /**
     * Waits for QEMU to exit; returns why the guest is stuck instead, leaving QEMU to the caller.
     * Idleness is judged over the last {@code idleLimit}, not per poll: the kernel counts CPU time
     * in ticks (10 ms), and an idle TCG guest's timers cost QEMU a tick every few seconds (0.3-0.5 %
     * of a CPU seen), so a poll with a tick in it is no sign of work. A guest that goes idle with a
     * silent console is caught one idle limit later.
     */
    Optional<String> await(Process qemu) throws InterruptedException {
        long start = System.nanoTime();
        long wallCap = cpuBudget.multipliedBy(WALL_CAP_BUDGETS).toNanos();
        long consoleChanged = start;
        long lastConsole = consoleSize();
        List<long[]> window = new ArrayList<>();  // {time, cpu} of each poll, back to just over an idle limit ago
        while (!qemu.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            long cpu = cpuNanos(qemu);
            long size = consoleSize();
            if (cpu > cpuBudget.toNanos())
                return Optional.of("the guest used its budget of " + cpuBudget.toSeconds() + " s of CPU time without finishing");
            if (size != lastConsole) consoleChanged = now;
            lastConsole = size;
            window.add(new long[] {now, cpu});
            while (window.size() > 1 && now - window.get(1)[0] >= idleLimit.toNanos()) window.removeFirst();
            long[] oldest = window.getFirst();
            boolean silent = now - consoleChanged > idleLimit.toNanos();
            boolean full = now - oldest[0] >= idleLimit.toNanos();
            if (silent && full && cpu - oldest[1] < IDLE_SHARE * (now - oldest[0]))
                return Optional.of("the guest sat idle with a silent console for " + idleLimit.toSeconds() + " s");
            if (now - start > wallCap)
                return Optional.of("the guest did not finish within " + Duration.ofNanos(wallCap).toSeconds()
                        + " s (it had " + Duration.ofNanos(cpu).toSeconds() + " s of CPU time)");
        }
        return Optional.empty();
    }

    private static long cpuNanos(Process qemu) {
        return qemu.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private long consoleSize() {
        try {
            return Files.size(console);
        } catch (IOException notYet) {
            return 0;
        }
    }
}
