package io.gamerlab.sched;

/**
 * Why a scheduler stopped, as the kernel told it to our {@code exit} callback. {@code kind} is the
 * kernel's {@code enum scx_exit_kind}: 64 is an unload from user space; 1024 and above are errors,
 * such as the watchdog ejecting a scheduler that stalled a task.
 */
public record ExitReport(int kind, long code, String reason, String message) {

    public static final int UNREGISTERED = 64;

    public boolean ejectedByKernel() {
        return kind >= 1024;
    }
}
