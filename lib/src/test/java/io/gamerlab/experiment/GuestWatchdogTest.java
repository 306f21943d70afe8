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
@Timeout(120)
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

    @Test
    void aGuestThatIdlesButKeepsWritingToItsConsoleIsNotIdle() throws Exception {
        Path console = dir.resolve("console.log");
        Process p = start("for i in 1 2 3 4 5 6; do echo $i >> " + console + "; sleep 1; done");
        assertEquals(Optional.empty(), new GuestWatchdog(Duration.ofSeconds(600), Duration.ofSeconds(3), console).await(p));
    }
}
