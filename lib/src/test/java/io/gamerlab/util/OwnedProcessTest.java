package io.gamerlab.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A child started through {@link OwnedProcess} dies with the JVM that started it, even when that
 * JVM is killed with SIGKILL; one started the plain way (the control) outlives it. The owned child
 * is started from a thread that ends at once, because the parent-death signal follows the thread
 * that forked, not the process.
 */
@Timeout(120)
class OwnedProcessTest {

    /** The child JVM: starts both sleeps, the owned one from a thread that then ends, prints their pids and waits. */
    public static final class Owner {
        public static void main(String[] args) throws Exception {
            Process[] owned = new Process[1];
            Thread spawner = Thread.ofPlatform().start(() -> {
                try {
                    owned[0] = OwnedProcess.start(new ProcessBuilder("sleep", "600"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            spawner.join();  // the thread that asked for the child is gone from here on
            Process plain = new ProcessBuilder("sleep", "600").start();
            System.out.println("owned " + owned[0].pid() + " plain " + plain.pid());
            Thread.sleep(Duration.ofMinutes(10));
        }
    }

    @Test
    void anOwnedChildDiesWhenItsJvmIsKilledAndAPlainOneDoesNot() throws Exception {
        try (ChildJvm owner = ChildJvm.start(Owner.class, Map.of())) {
            String[] pids = owner.awaitLine("owned ", Duration.ofSeconds(60)).split(" ");
            ChildJvm.Pid owned = only(ChildJvm.descendants(owner.pid()), Long.parseLong(pids[1]));
            ChildJvm.Pid plain = only(ChildJvm.descendants(owner.pid()), Long.parseLong(pids[3]));
            assertEquals("sleep", fileName(owned.command()), "setpriv exec'd the command in place: " + owned);
            Thread.sleep(500);
            assertFalse(owned.gone(), "the owned child outlives the thread that asked for it");

            owner.kill();
            assertEquals(List.of(), ChildJvm.awaitGone(List.of(owned), Duration.ofSeconds(10)), "the owned child died with its JVM");
            Thread.sleep(500);
            try {
                assertFalse(plain.gone(), "the control: a plain child outlives its killed JVM, which is why OwnedProcess exists");
            } finally {
                ProcessHandle.of(plain.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void anOwnedChildKeepsItsOutputAndExitStatus() throws Exception {
        Process echo = OwnedProcess.start(new ProcessBuilder("sh", "-c", "echo out; exit 3").redirectErrorStream(true));
        assertEquals("out\n", new String(echo.getInputStream().readAllBytes()));
        assertEquals(3, echo.waitFor());
    }

    private static ChildJvm.Pid only(List<ChildJvm.Pid> processes, long pid) {
        return processes.stream().filter(p -> p.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("no process " + pid + " among " + processes));
    }

    private static String fileName(String command) {
        return java.nio.file.Path.of(command).getFileName().toString();
    }
}
