package io.gamerlab.sched;

/**
 * One of the scheduler's kernel hooks and what became of it on this kernel.
 *
 * @param program  the BPF program's name, e.g. {@code on_input_event}
 * @param function the kernel function it attaches to, e.g. {@code input_event}
 * @param attached whether it is attached; if not, {@code reason} says why
 */
public record Hook(String program, String function, boolean attached, String reason) {

    private static final String[] TRACING_PREFIXES = {"fentry/", "fexit/", "fmod_ret/"};

    /** The kernel function a section such as {@code fentry/input_event} names; null for other programs. */
    static String targetOf(String section) {
        for (String prefix : TRACING_PREFIXES)
            if (section.startsWith(prefix)) {
                String target = section.substring(prefix.length());
                int module = target.indexOf(':');  // "fentry/module:function"
                return module >= 0 ? target.substring(module + 1) : target;
            }
        return null;
    }
}
