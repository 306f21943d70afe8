package io.gamerlab.bench.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamerlab.bpf.BpfLink;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.util.Capabilities;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bench killed with SIGKILL (no shutdown hook, no finally) leaves BPF's run-time statistics as
 * it found them: they are on while it holds them and off once it is dead, and the global sysctl
 * kernel.bpf_stats_enabled is never written. Whether statistics are on is read from their effect:
 * a program's run_cnt moves only while they are.
 */
@Timeout(120)
class BpfStatsKillTest {

    /** The child JVM: a bench's statistics switched on, held until it is killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (BpfStats.Enabled stats = BpfStats.enableForRun()) {
                System.out.println("enabled, sysctl was " + stats.previous());
                Thread.sleep(Duration.ofMinutes(10));
            }
        }
    }

    @Test
    void statisticsAreOffOnceABenchHoldingThemIsKilledAndTheSysctlIsNeverWritten() throws Exception {
        assumeTrue(Capabilities.effectiveUid() == 0, "BPF and its statistics need root");
        Path fixture = Path.of(System.getProperty("gamerlab.root"), "build/bpf/fixtures/syscall_counter.bpf.o");
        assertTrue(Files.isRegularFile(fixture), fixture + " is missing: make -C bpf");
        String sysctl = Files.readString(BpfStats.SYSCTL).trim();
        try (BpfObject object = BpfObject.open(fixture)) {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            object.load();
            int fd = object.programFd("count_getpgid");
            try (BpfLink link = object.attachProgram("count_getpgid")) {
                assumeFalse(statisticsOn(fd), "another process has BPF statistics on (the sysctl reads " + sysctl + "): nothing to tell apart");
                Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Holder.class.getName())
                        .redirectErrorStream(true).start();
                try {
                    String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    assertTrue(line != null && line.startsWith("enabled"), "the holder says: " + line);
                    assertTrue(statisticsOn(fd), "on while the bench holds them");
                    assertEquals(sysctl, Files.readString(BpfStats.SYSCTL).trim(), "the sysctl is not how they were turned on");
                } finally {
                    holder.destroyForcibly();  // SIGKILL
                    assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
                }
                assertFalse(statisticsOn(fd), "off once the bench that turned them on is dead");
                assertEquals(sysctl, Files.readString(BpfStats.SYSCTL).trim());
            }
        }
    }

    /** Whether the kernel counts the fixture's runs now: 100 counted getpgid calls move run_cnt only while statistics are on. */
    private static boolean statisticsOn(int programFd) {
        long before = BpfStats.read(programFd).runCount();
        for (int i = 0; i < 100; i++) Syscalls.getpgid(0);
        return BpfStats.read(programFd).runCount() > before;
    }
}
