package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog on real processes standing for QEMU: one that finishes, one that spins, one that idles. */
@Timeout(180)
class GuestWatchdogTest {

    @TempDir
    Path dir;

    private Process start(String script) throws Exception {
        return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
    }

    @Test
    void aGuestThatFinishesIsLeftAlone() throws Exception {
        Process p = start("sleep 1");
        assertEquals(Optional.empty(), new GuestWatchdog(Duration.ofSeconds(30), dir.resolve("console.log")).await(p));
        assertEquals(0, p.exitValue());
    }

    /** A spinning guest is stopped by the CPU it used, so on a busy host it gets as long as it needs to use it. */
    @Test
    void aGuestThatWorksForeverIsStoppedWhenItHasUsedItsCpuBudget() throws Exception {
        Process p = start("while :; do :; done");
        try {
            Optional<String> why = new GuestWatchdog(Duration.ofSeconds(2), dir.resolve("console.log")).await(p);
            assertTrue(why.orElse("").contains("budget of 2 s of CPU time"), why.toString());
            assertTrue(p.toHandle().info().totalCpuDuration().orElseThrow().compareTo(Duration.ofSeconds(2)) >= 0);
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aGuestThatIdlesWithASilentConsoleIsStopped() throws Exception {
        Path console = dir.resolve("console.log");
        Files.writeString(console, "booted\n");
        Process p = start("sleep 600");
        try {
            Optional<String> why = new GuestWatchdog(Duration.ofSeconds(600), Duration.ofSeconds(3), console).await(p);
            assertTrue(why.orElse("").contains("idle with a silent console for 3 s"), why.toString());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /**
     * An idle TCG guest still costs QEMU a clock tick (10 ms of CPU) every few seconds; a process
     * that works about 4 ms each second stands for it. Judged per one-second poll, a tick looks like
     * work, and the hang would only be caught by the wall cap, many budgets later.
     */
    @Test
    void aGuestThatIdlesButTicksNowAndThenIsStopped() throws Exception {
        Path console = dir.resolve("console.log");
        Files.writeString(console, "booted\n");
        Process p = start("exec awk 'BEGIN { while (1) { for (i = 0; i < 100000; i++) ; system(\"sleep 1\") } }'");
        try {
            long start = System.nanoTime();
            // 15 s: a tick every ~2.5 s leaves 15 tick-free seconds in a row about once in 400 tries
            Optional<String> why = new GuestWatchdog(Duration.ofSeconds(600), Duration.ofSeconds(15), console).await(p);
            assertTrue(why.orElse("").contains("idle with a silent console for 15 s"), why.toString());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(32).toNanos(), "within two idle limits");
            assertTrue(p.toHandle().info().totalCpuDuration().orElseThrow().toNanos() > 0, "it did tick");
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aGuestThatIdlesButKeepsWritingToItsConsoleIsNotIdle() throws Exception {
        Path console = dir.resolve("console.log");
        Process p = start("for i in 1 2 3 4 5 6; do echo $i >> " + console + "; sleep 1; done");
        assertEquals(Optional.empty(), new GuestWatchdog(Duration.ofSeconds(600), Duration.ofSeconds(3), console).await(p));
    }
}
