package io.gamerlab.sched;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What the kernel reports about sched_ext: whether it exists, and which scheduler is loaded. */
public record SchedExtState(String state, String ops) {

    private static final Path SYSFS = Path.of("/sys/kernel/sched_ext");

    /** True where the running kernel was built with CONFIG_SCHED_CLASS_EXT. */
    public static boolean kernelHasSchedExt() {
        return Files.isRegularFile(SYSFS.resolve("state"));
    }

    /** Reads the state now; "absent" where the kernel has no sched_ext. */
    public static SchedExtState read() {
        if (!kernelHasSchedExt()) return new SchedExtState("absent", "");
        return new SchedExtState(readTrimmed(SYSFS.resolve("state")), readTrimmed(SYSFS.resolve("root/ops")));
    }

    /**
     * The kernel's own event counters for the loaded scheduler ({@code root/events}, in kernels
     * that have it), by the kernel's name in lower case without {@code SCX_EV_}: e.g.
     * {@code refill_slice_dfl}, the times a task's slice was refilled with the kernel's default
     * instead of the scheduler's, or {@code select_cpu_fallback}, the times select_cpu chose a CPU
     * the task may not run on. Empty while nothing is loaded or where the kernel keeps none.
     */
    public static Map<String, Long> events() {
        Path file = SYSFS.resolve("root/events");
        if (!Files.isRegularFile(file)) return Map.of();
        try {
            return parseEvents(Files.readString(file));
        } catch (IOException e) {
            return Map.of();  // unloaded while reading
        }
    }

    /** Lines of "SCX_EV_NAME value". */
    static Map<String, Long> parseEvents(String text) {
        Map<String, Long> events = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].startsWith("SCX_EV_"))
                events.put(f[0].substring("SCX_EV_".length()).toLowerCase(Locale.ROOT), Long.parseLong(f[1]));
        }
        return events;
    }

    public boolean enabled() {
        return state.equals("enabled");
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "";  // root/ops exists only while a scheduler is loaded
        }
    }
}
