package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Receives libbpf's log through {@code libbpf_set_print}, so that a failed call's exception can
 * carry the tail of it (libbpf's reasons, the verifier's log) rather than leaving it on stderr.
 * Warnings also go to the System.Logger {@code io.gamerlab.bpf.libbpf}; debug messages are dropped.
 */
final class LibbpfLog {
    static final int TAIL_LINES = 40;
    /** Kept for finding the verifier's reason, which a long diagnostic can push out of the quoted tail. */
    private static final int KEPT_LINES = 400;

    private static final int LIBBPF_WARN = 0;
    private static final int LIBBPF_INFO = 1;
    /**
     * x86_64 SysV va_list is {@code struct {u32 gp_offset; u32 fp_offset; void *overflow_arg_area;
     * void *reg_save_area;}[1]}: it reaches the callback as a pointer, and va_copy is a copy of these bytes.
     */
    private static final long VA_LIST_BYTES = 24;
    /** libbpf's lines about a program the kernel refused: "prog 'x': BPF program load failed: ..." and "prog 'x': failed to load: -13". */
    private static final Pattern VERIFIER_ERROR = Pattern.compile("\\^-- error: (.+)");
    private static final Pattern FAILED_PROGRAM = Pattern.compile("prog '([^']+)': (?:BPF program load failed|failed to load)");
    private static final System.Logger LOGGER = System.getLogger("io.gamerlab.bpf.libbpf");
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle VSNPRINTF = LINKER.downcallHandle(
            LINKER.defaultLookup().find("vsnprintf").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    /** libbpf logs on the thread that called it, so a per-thread tail keeps concurrent loads apart. */
    private static final ThreadLocal<ArrayDeque<String>> RECENT_LINES = ThreadLocal.withInitial(ArrayDeque::new);

    private LibbpfLog() {
    }

    /** Routes libbpf's log here; called once, when libbpf is loaded. */
    static void install(MethodHandle libbpfSetPrint) {
        if (!"amd64".equals(System.getProperty("os.arch"))) {
            return; // the va_list handling below is x86_64's; elsewhere libbpf keeps printing to stderr
        }
        try {
            MethodHandle print = MethodHandles.lookup().findStatic(LibbpfLog.class, "print",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment callback = LINKER.upcallStub(print,
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            MemorySegment _ = (MemorySegment) libbpfSetPrint.invokeExact(callback);
        } catch (Throwable t) {
            throw new IllegalStateException("could not install the libbpf log callback", t);
        }
    }

    /** Forgets this thread's log; call before a libbpf operation whose failure should report its own log. */
    static void clear() {
        RECENT_LINES.get().clear();
    }

    /** The last {@link #TAIL_LINES} lines libbpf logged on this thread since {@link #clear()}. */
    static String tail() {
        List<String> kept = List.copyOf(RECENT_LINES.get());
        return String.join("\n", kept.subList(Math.max(0, kept.size() - TAIL_LINES), kept.size()));
    }

    /**
     * The program libbpf reported it could not load since {@link #clear()} (e.g. one the verifier
     * rejected: {@code prog 'name': failed to load: -13}), or null if none.
     */
    static String failedProgram() {
        String program = null;
        for (String line : RECENT_LINES.get()) {
            Matcher m = FAILED_PROGRAM.matcher(line);
            if (m.find()) program = m.group(1);
        }
        return program;
    }

    /**
     * The verifier's reason for refusing a program, from its log since {@link #clear()}, or null if
     * the log holds none. Newer kernels (7.x) mark it {@code ^-- error: ...} in a diagnostic with a
     * {@code Suggestion:}; older ones put it on the line before the closing "processed N insns".
     */
    static String verifierReason() {
        List<String> lines = List.copyOf(RECENT_LINES.get());
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher error = VERIFIER_ERROR.matcher(lines.get(i));
            if (!error.find()) continue;
            String reason = error.group(1).strip();
            for (int j = i + 1; j + 1 < lines.size(); j++)
                if (lines.get(j).strip().equals("Suggestion:")) return reason + " (suggestion: " + lines.get(j + 1).strip() + ")";
            return reason;
        }
        for (int i = lines.size() - 1; i > 0; i--) {
            if (!(lines.get(i).startsWith("processed ") && lines.get(i).contains(" insns"))) continue;
            for (int j = i - 1; j >= 0; j--)
                if (!lines.get(j).isBlank()) return lines.get(j).strip();
        }
        return null;
    }

    /** The upcall: {@code int (*)(enum libbpf_print_level, const char *format, va_list args)}. */
    private static int print(int level, MemorySegment format, MemorySegment args) {
        if (level != LIBBPF_WARN && level != LIBBPF_INFO) {
            return 0;
        }
        try {
            String message = format(format, args);
            ArrayDeque<String> recent = RECENT_LINES.get();
            message.lines().forEach(line -> {
                recent.addLast(line);
                if (recent.size() > KEPT_LINES) {
                    recent.removeFirst();
                }
            });
            LOGGER.log(level == LIBBPF_WARN ? Level.WARNING : Level.DEBUG, () -> message.stripTrailing());
        } catch (Throwable t) {
            // An exception escaping an upcall kills the JVM; a lost log line is the lesser harm.
        }
        return 0;
    }

    /** vsnprintf twice, each on its own copy of the va_list: once to measure, once to format. */
    private static String format(MemorySegment format, MemorySegment args) throws Throwable {
        MemorySegment original = args.reinterpret(VA_LIST_BYTES);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(VA_LIST_BYTES, 8).copyFrom(original);
            int length = (int) VSNPRINTF.invokeExact(MemorySegment.NULL, 0L, format, copy);
            if (length < 0) {
                return "(libbpf message could not be formatted: " + Libbpf.string(format) + ")";
            }
            MemorySegment text = arena.allocate(length + 1L);
            copy.copyFrom(original);
            int _ = (int) VSNPRINTF.invokeExact(text, length + 1L, format, copy);
            return text.getString(0);
        }
    }
}
