package io.gamerlab.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** This process's effective capabilities, from {@code CapEff} in {@code /proc/self/status}. */
public final class Capabilities {

    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_PERFMON = 38;
    public static final int CAP_BPF = 39;

    private Capabilities() { }

    public static boolean has(int capability) {
        return status("CapEff:").map(v -> (Long.parseUnsignedLong(v, 16) >>> capability & 1) == 1).orElse(false);
    }

    /** The effective user id, or -1 if /proc does not say. */
    public static int effectiveUid() {
        return status("Uid:").map(v -> Integer.parseInt(v.split("\\s+")[1])).orElse(-1);  // real effective saved fs
    }

    private static Optional<String> status(String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith(field)).findFirst().map(l -> l.substring(field.length()).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** What the kernel asks of a process that loads BPF tracing and struct_ops programs: CAP_BPF with CAP_PERFMON, or CAP_SYS_ADMIN. */
    public static boolean mayLoadBpf() {
        return has(CAP_SYS_ADMIN) || has(CAP_BPF) && has(CAP_PERFMON);
    }
}
