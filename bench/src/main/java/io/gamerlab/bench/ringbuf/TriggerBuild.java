package io.gamerlab.bench.ringbuf;

import io.gamerlab.util.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The bench trigger bpf/bench/ringbuf_trigger.bpf.c built for a list of -D flags with
 * {@code make -C bpf bench-variant}, cached under build/bpf/bench by a hash of its sources and
 * flags (the same cache and key as lib's tests use, so a build is shared).
 */
final class TriggerBuild {
    static final String BENCH = "ringbuf_trigger";
    /** The tp_btf/sys_enter program that emits one input event per getpgid of target_tgid. */
    static final String PROGRAM = "input_trigger";

    private TriggerBuild() {
    }

    static Path build(Path root, List<String> flags) {
        Path bpf = root.resolve("bpf");
        Path out = root.resolve("build/bpf");
        Path object = out.resolve("bench").resolve(BENCH + "-" + key(bpf, flags) + ".bpf.o");
        if (Files.isRegularFile(object)) return object;
        Path partial = object.resolveSibling(object.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        Command.run("building bench program " + BENCH + " with " + flags, List.of("make", "-s", "-C", bpf.toString(), "OUT=" + out,
                "bench-variant", "BENCH=" + BENCH, "VARIANT_CFLAGS=" + String.join(" ", flags), "VARIANT_OBJ=" + partial));
        try {
            Files.move(partial, object, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return object;
    }

    private static String key(Path bpf, List<String> flags) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path source : List.of(bpf.resolve("input_events.bpf.h"), bpf.resolve("bench/" + BENCH + ".bpf.c"), bpf.resolve("Makefile"))) {
                sha.update(Files.readAllBytes(source));
            }
            sha.update(flags.toString().getBytes());
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
