package io.gamerlab.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    @Test
    void hereReadsThisMachinesKernelCpuJdkAndLibbpf() {
        Provenance.Machine m = Provenance.Machine.here("host", "host");
        assertEquals(System.getProperty("os.version"), m.kernel());
        assertFalse(m.cpuModel().isBlank());
        assertFalse(m.cpuModel().contains("model name"), m.cpuModel());
        assertEquals(m.cpuModel().strip(), m.cpuModel());
        assertEquals(Runtime.getRuntime().availableProcessors(), m.cpuCount());
        assertTrue(m.jdk().contains(Integer.toString(Runtime.version().feature())), m.jdk());
        assertTrue(m.libbpf().matches("1\\.[0-9]+ \\(.*libbpf\\.so.*\\)"), m.libbpf());
    }

    @Test
    void startingNowKeepsWhatTheCallerSaidAndStampsTheStartTime() {
        Instant before = Instant.now();
        Provenance.Cell cell = new Provenance.Cell("e", "run-7", 2, OptionalLong.of(5), false, "baseline", "", "w", "", "");
        Provenance p = Provenance.startingNow(cell, Provenance.Machine.unknown("guest-tcg", "tcg-emulated"), "0123abcd");
        Instant after = Instant.now();
        assertEquals(cell, p.cell());
        assertEquals("guest-tcg", p.machine().backend());
        assertEquals("tcg-emulated", p.machine().clock());
        assertEquals("0123abcd", p.gitCommit());
        assertFalse(p.startedAt().isBefore(before));
        assertFalse(p.startedAt().isAfter(after));
        assertEquals(Column.NAMES.indexOf("source"), p.values().size());
    }

    @Test
    void theNodeIsSlurmsNameForItAndItsJobArrayTask() {
        assertEquals(new Provenance.Node("n3", OptionalLong.of(812), OptionalInt.of(0)),
                Provenance.Node.from(Map.of("SLURMD_NODENAME", "n3", "SLURM_ARRAY_JOB_ID", "812", "SLURM_ARRAY_TASK_ID", "0", "SLURM_JOB_ID", "813")));
        assertEquals(new Provenance.Node("n3", OptionalLong.of(900), OptionalInt.empty()),
                Provenance.Node.from(Map.of("SLURMD_NODENAME", "n3", "SLURM_JOB_ID", "900")), "a job outside an array");
        Provenance.Node outside = Provenance.Node.from(Map.of());
        assertEquals(OptionalLong.empty(), outside.slurmJobId());
        assertEquals(OptionalInt.empty(), outside.slurmArrayTaskId());
        assertFalse(outside.name().isEmpty(), "outside Slurm, the host name");
    }
}
