package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.SchedulerBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guest's constructors check their inputs up front and say where a missing one comes from. */
class GuestPreconditionsTest {

    private static final Path JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    Path dir;

    private Path file(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "stand-in");
    }

    @Test
    void aMissingGuestKernelPointsToTheSetupScript() throws IOException {
        GuestImage image = new GuestImage(JDK, file("libbpf.so.1"), file("busybox"), dir.resolve("cache"));
        Path kernel = dir.resolve("no-vmlinuz");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new GuestBackend(SchedulerBuild.ofCheckout(), image, kernel, GuestBackend.Accelerator.TCG, 2, 2048));
        assertTrue(e.getMessage().contains(kernel.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("scripts/setup.sh"), e.getMessage());
    }

    @Test
    void theAcceleratorNamesTheBackendAndClockOfEveryRow() throws IOException {
        GuestImage image = new GuestImage(JDK, file("libbpf.so.1"), file("busybox"), dir.resolve("cache"));
        Path kernel = file("vmlinuz");
        SchedulerBuild build = SchedulerBuild.ofCheckout();
        assertEquals("guest-tcg", new GuestBackend(build, image, kernel, GuestBackend.Accelerator.TCG, 2, 2048).name());
        assertEquals("guest-kvm", new GuestBackend(build, image, kernel, GuestBackend.Accelerator.KVM, 2, 2048).name());
        assertEquals("tcg-emulated", GuestBackend.Accelerator.TCG.clock);
        assertEquals("kvm-virtualized", GuestBackend.Accelerator.KVM.clock);
    }

    @Test
    void aMissingBusyboxIsNamed() throws IOException {
        Path busybox = dir.resolve("no-busybox");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new GuestImage(JDK, file("libbpf.so.1"), busybox, dir.resolve("cache")));
        assertTrue(e.getMessage().contains("busybox"), e.getMessage());
        assertTrue(e.getMessage().contains(busybox.toString()), e.getMessage());
    }

    @Test
    void aMissingLibbpfPointsToTheSetupScript() throws IOException {
        Path libbpf = dir.resolve("no-libbpf.so.1");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new GuestImage(JDK, libbpf, file("busybox"), dir.resolve("cache")));
        assertTrue(e.getMessage().contains("libbpf"), e.getMessage());
        assertTrue(e.getMessage().contains("scripts/setup.sh"), e.getMessage());
    }

    @Test
    void aMissingProgramForTheImagePointsToTheSetupScript() throws IOException {
        GuestImage image = new GuestImage(JDK, file("libbpf.so.1"), file("busybox"), dir.resolve("cache"));
        Path scxSimple = dir.resolve("no-scx_simple");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> image.withPrograms(java.util.List.of(scxSimple)));
        assertTrue(e.getMessage().contains(scxSimple.toString()) && e.getMessage().contains("scripts/setup.sh"), e.getMessage());
    }

    @Test
    void aDirectoryThatIsNotAJdkIsRejected() throws IOException {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new GuestImage(dir, file("libbpf.so.1"), file("busybox"), dir.resolve("cache")));
        assertTrue(e.getMessage().contains("JDK"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("bin/java").toString()), e.getMessage());
    }

    @Test
    void theConsoleTailIsTheLastFortyLinesOrSaysThereWasNone() throws IOException {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 100; i++) log.append("line ").append(i).append('\n');
        Path console = Files.writeString(dir.resolve("console.log"), log);
        String tail = GuestBackend.tail(console);
        assertTrue(tail.startsWith("line 61\n"), tail);
        assertTrue(tail.endsWith("line 100"), tail);
        assertTrue(GuestBackend.tail(dir.resolve("missing.log")).contains("no console output"));
    }
}
