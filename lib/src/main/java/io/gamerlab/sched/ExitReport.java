package io.gamerlab.sched;

import java.util.Map;

/**
 * Why a scheduler stopped, as the kernel told it to our {@code exit} callback. {@code kind} is the
 * kernel's {@code enum scx_exit_kind}: 64 is an unload from user space, what closing the
 * scheduler does; anything else means it stopped on its own or was ejected before that — by the
 * kernel's watchdog, a BPF error, sysrq-S — and a run under it is not a run under the scheduler.
 */
public record ExitReport(int kind, long code, String reason, String message) {

    public static final int UNREGISTERED = 64;

    /** The names of {@code enum scx_exit_kind} (Linux 7.x's vmlinux.h). */
    private static final Map<Integer, String> KINDS = Map.ofEntries(Map.entry(0, "SCX_EXIT_NONE"), Map.entry(1, "SCX_EXIT_DONE"),
            Map.entry(64, "SCX_EXIT_UNREG"), Map.entry(65, "SCX_EXIT_UNREG_BPF"), Map.entry(66, "SCX_EXIT_UNREG_KERN"),
            Map.entry(67, "SCX_EXIT_SYSRQ"), Map.entry(68, "SCX_EXIT_PARENT"), Map.entry(69, "SCX_EXIT_PARENT_KILL"),
            Map.entry(1024, "SCX_EXIT_ERROR"), Map.entry(1025, "SCX_EXIT_ERROR_BPF"), Map.entry(1026, "SCX_EXIT_ERROR_STALL"),
            Map.entry(1027, "SCX_EXIT_ERROR_REENQ"), Map.entry(1028, "SCX_EXIT_ERROR_RESCUE"));

    /** True unless the scheduler was unloaded from user space: it stopped or was ejected before we detached it. */
    public boolean stoppedBeforeDetach() {
        return kind != UNREGISTERED;
    }

    /** The kind's name, e.g. {@code SCX_EXIT_ERROR_BPF (1025)}. */
    public String kindName() {
        return KINDS.getOrDefault(kind, "exit kind") + " (" + kind + ")";
    }

    /** The kernel's account, e.g. {@code SCX_EXIT_SYSRQ (67), reason 'disabled by sysrq-S'}. */
    public String describe() {
        return kindName() + ", reason '" + reason + "'" + (message.isEmpty() ? "" : ", message '" + message + "'")
                + (code == 0 ? "" : ", code " + code);
    }
}
