package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class BackendAutoTest {

    @Test
    void withoutAUsableHostTheEmulatedGuestIsChosen() {
        assumeTrue(HostBackend.whyUnavailable().isPresent(), "this host can run the scheduler itself");
        assumeTrue(Files.isRegularFile(GuestBackend.cacheDir().resolve("kernel/vmlinuz")),
                "scripts/setup.sh has not fetched the guest kernel");
        assumeTrue(System.getenv("GAMERLAB_GUEST_ACCEL") == null, "GAMERLAB_GUEST_ACCEL picks the accelerator");
        Backend backend = Backend.auto();
        assertInstanceOf(GuestBackend.class, backend);
        assertEquals("guest-tcg", backend.name());
    }

    @Test
    void aUsableHostIsPreferred() {
        assumeTrue(HostBackend.whyUnavailable().isEmpty(), "this host cannot run the scheduler");
        assertEquals("host", Backend.auto().name());
    }
}
