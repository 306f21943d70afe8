package io.gamerlab.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where and how a result was produced. Every row of every dataset carries it, because a number
 * from an emulated guest and a number from real hardware must never be mistaken for each other.
 *
 * @param backend  what ran the scheduler: {@code host} or {@code guest-tcg}
 * @param clock    what the timings are worth: {@code host} (real time on real hardware) or
 *                 {@code tcg-emulated} (a QEMU guest without KVM: proves function, not speed)
 */
public record Provenance(String runId, String backend, String clock, String kernelRelease,
                         String cpuModel, String variant, String gitCommit, Instant startedAt) {

    /** Provenance for a run starting now on this machine. */
    public static Provenance here(String runId, String backend, String clock, String variant, String gitCommit) {
        return new Provenance(runId, backend, clock, readKernelRelease(), readCpuModel(), variant, gitCommit, Instant.now());
    }

    static String readKernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    static String readCpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
