package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.gamerlab.util.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The host bench triggers bpf/bench/ringbuf_trigger.bpf.c (and ringbuf_nested.bpf.c), built for a list of -D flags with
 * {@code make -C bpf bench-variant} and cached under build/bpf/bench by a hash of its sources and
 * flags; and the getpgid call that fires it (its argument becomes the event's value).
 */
public final class RingBufferTrigger {
    /** The getpgid program, in both bench objects. */
    public static final String PROGRAM = "input_trigger";
    private static final MethodHandle GETPGID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getpgid").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private RingBufferTrigger() {
    }

    public static Path build(List<String> flags) {
        return build("ringbuf_trigger", flags);
    }

    /** A bench program of bpf/bench/ (ringbuf_trigger, ringbuf_nested) built with these flags. */
    public static Path build(String bench, List<String> flags) {
        Path root = Path.of(System.getProperty("gamerlab.root", "."));
        Path bpf = root.resolve("bpf");
        Path out = root.resolve("build/bpf");
        Path object = out.resolve("bench").resolve(bench + "-" + key(bpf, bench, flags) + ".bpf.o");
        if (Files.isRegularFile(object)) return object;
        Path partial = object.resolveSibling(object.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        Command.run("building bench program " + bench + " with " + flags, List.of("make", "-s", "-C", bpf.toString(), "OUT=" + out,
                "bench-variant", "BENCH=" + bench, "VARIANT_CFLAGS=" + String.join(" ", flags), "VARIANT_OBJ=" + partial));
        try {
            Files.move(partial, object, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return object;
    }

    /** One getpgid(value) from the calling thread: the trigger emits an EV_REL event with this value. */
    public static void fire(int value) {
        try {
            int _ = (int) GETPGID.invokeExact(value);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static String key(Path bpf, String bench, List<String> flags) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path source : List.of(bpf.resolve("input_events.bpf.h"), bpf.resolve("bench/" + bench + ".bpf.c"), bpf.resolve("Makefile"))) {
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
