package io.gamerlab.sched;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
