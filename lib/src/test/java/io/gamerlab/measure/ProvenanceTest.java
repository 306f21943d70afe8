package io.gamerlab.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    @Test
    void hereReadsThisMachinesKernelAndCpu() {
        Provenance p = Provenance.here("r", "host", "host", "baseline", "abc");
        assertEquals(System.getProperty("os.version"), p.kernelRelease());
        assertFalse(p.cpuModel().isBlank());
        assertFalse(p.cpuModel().contains("model name"), p.cpuModel());
        assertEquals(p.cpuModel().strip(), p.cpuModel());
    }

    @Test
    void hereKeepsWhatTheCallerSaidAndStampsTheStartTime() {
        Instant before = Instant.now();
        Provenance p = Provenance.here("run-7", "guest-tcg", "tcg-emulated", "baseline", "0123abcd");
        Instant after = Instant.now();
        assertEquals("run-7", p.runId());
        assertEquals("guest-tcg", p.backend());
        assertEquals("tcg-emulated", p.clock());
        assertEquals("baseline", p.variant());
        assertEquals("0123abcd", p.gitCommit());
        assertFalse(p.startedAt().isBefore(before));
        assertFalse(p.startedAt().isAfter(after));
    }
}
