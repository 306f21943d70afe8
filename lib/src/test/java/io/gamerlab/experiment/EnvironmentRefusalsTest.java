package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamerlab.bpf.BpfObject;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import io.gamerlab.util.Capabilities;
import io.gamerlab.util.ChildJvm;
import io.gamerlab.util.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is missing from the machine is named, with what to do, before anything starts: each case
 * provoked for real (a JVM without QEMU on its PATH, one without the capabilities to load BPF, the
 * setup script with only an old JDK, or with the Debian archive out of reach). No sched_ext:
 * SchedulerLoadWithoutSchedExtTest; another scheduler loaded: GuestFaultsTest, in the guest.
 */
@Timeout(300)
class EnvironmentRefusalsTest {

    private static final Path ROOT = SchedulerBuild.ofCheckout().root();

    /** Builds the standard guest backend and prints why it could not. */
    public static final class GuestProbe {
        public static void main(String[] args) {
            try {
                GuestBackend.standard();
                System.out.println("refused: nothing refused");
            } catch (RuntimeException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }

    @Test
    void noQemuOnThePathIsNamedWithWhereItComesFrom(@TempDir Path empty) throws Exception {
        try (ChildJvm probe = ChildJvm.start(GuestProbe.class, Map.of("PATH", empty.toString()))) {
            String refused = probe.awaitLine("refused: ", Duration.ofSeconds(60));
            assertTrue(refused.contains("no qemu-system-x86_64 on PATH (" + empty + "), which boots the guest kernel"), refused);
            assertTrue(refused.contains("install Debian's qemu-system-x86 (scripts/setup.sh does)"), refused);
        }
    }

    /** Tries, without BPF capabilities, what needs none (opening the scheduler's object) and what does. */
    public static final class WithoutCapabilities {
        public static void main(String[] args) {
            try (BpfObject opened = BpfObject.open(Path.of(args[0]))) {
                System.out.println("opened " + opened.programSections().size());
            }
            System.out.println("host: " + HostBackend.whyUnavailable().orElse("available"));
            try (BpfObject fixture = BpfObject.open(Path.of(args[1]))) {
                fixture.load();
                System.out.println("loaded: it loaded");
            } catch (RuntimeException e) {
                System.out.println("loaded: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    @Test
    void withoutBpfCapabilitiesOnlyTheLoadingIsRefusedAndItSaysToRunAsRoot() throws Exception {
        assumeTrue(Capabilities.effectiveUid() == 0, "needs root to take its capabilities away");
        Path setpriv = Executables.require("setpriv", "drops capabilities", "util-linux");
        Path scheduler = SchedulerBuild.ofCheckout().object(Variant.BASELINE);
        Path fixture = ROOT.resolve("build/bpf/fixtures/syscall_counter.bpf.o");
        // root's files stay readable (uid 0 owns them); only the capabilities go, as for a process without CAP_BPF
        try (ChildJvm child = ChildJvm.start(List.of(setpriv.toString(), "--bounding-set=-all", "--inh-caps=-all", "--"),
                WithoutCapabilities.class, Map.of(), scheduler.toString(), fixture.toString())) {
            assertTrue(Integer.parseInt(child.awaitLine("opened ", Duration.ofSeconds(60)).substring(7)) > 10,
                    "opening and reading the object needs no privilege");
            String host = child.awaitLine("host: ", Duration.ofSeconds(60));
            assertTrue(host.contains("may not load BPF: loading a sched_ext scheduler needs root, or CAP_BPF with CAP_PERFMON"), host);
            String loaded = child.awaitLine("loaded: ", Duration.ofSeconds(60));
            assertTrue(loaded.contains("EPERM") && loaded.contains("Loading and attaching BPF needs root (or CAP_BPF with CAP_PERFMON)"), loaded);
        }
    }

    @Test
    void aJdkOlderThanTheBuildsIsNamedWithWhatToInstall(@TempDir Path noJdks) throws Exception {
        Path old = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        assumeTrue(Files.isExecutable(old.resolve("bin/java")), "Debian's OpenJDK 17 (what bookworm's default-jdk is) is not installed");
        Result r = setup(Map.of("JAVA_HOME", old.toString(), "GAMERLAB_JDK_DIRS", noJdks.toString()));
        assertNotEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ERROR: JAVA_HOME=" + old + " is Java 17, and no JDK >= 25 is under " + noJdks), r.output());
        assertTrue(r.output().contains("install a JDK 25") && r.output().contains("set JAVA_HOME to it"), r.output());
    }

    @Test
    void anUnreachableDebianArchiveIsNamedWithWhatToDo(@TempDir Path cache) throws Exception {
        assumeTrue(Capabilities.effectiveUid() == 0, "setup.sh runs apt as root");
        // libbpf and bpftool count as fetched, so what is fetched is the guest kernel; the real cache is not touched.
        Files.createDirectories(cache.resolve("tools"));
        for (String p : List.of("libbpf1", "libbpf-dev", "bpftool")) Files.writeString(cache.resolve("tools/." + p + ".unpacked"), "0");
        Result r = setup(Map.of("GAMERLAB_CACHE", cache.toString(), "GAMERLAB_DEBIAN_MIRROR", "http://127.0.0.1:9/debian"));
        assertNotEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ERROR: cannot reach the Debian archive at http://127.0.0.1:9/debian"), r.output());
        assertTrue(r.output().contains("which gamerlab needs for the guest kernel"), r.output());
        assertTrue(r.output().contains("set GAMERLAB_DEBIAN_MIRROR"), r.output());
        assertFalse(Files.exists(cache.resolve("kernel/.complete")));
    }

    private record Result(int status, String output) { }

    private static Result setup(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/setup.sh").toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "setup.sh ends: " + out);
        assertEquals(-1, out.indexOf("\tat "), "no stack trace: " + out);
        return new Result(p.exitValue(), out);
    }
}
