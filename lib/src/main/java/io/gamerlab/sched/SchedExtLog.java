package io.gamerlab.sched;

import io.gamerlab.util.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel logged when a sched_ext scheduler stopped, from its message buffer ({@code dmesg
 * -r}, with each record's priority). The kernel logs {@code sched_ext: BPF scheduler "NAME"
 * disabled (REASON)} for every scheduler, ours or another loader's: at error priority when it
 * ejected the scheduler (a watchdog stall, a runtime error, scx_bpf_error), with the scheduler's
 * message on the next line, and at info priority for an unload. It is the verdict that does not
 * depend on the scheduler's own exit callback.
 */
public final class SchedExtLog {

    /** One scheduler's end: its ops name, the kernel's reason, whether it was an error, and the message that followed. */
    public record Disable(String scheduler, String reason, boolean error, String message) { }

    private static final Pattern RECORD = Pattern.compile("^<(\\d+)>(?:\\[[^]]*\\])?\\s*(.*)$");
    private static final Pattern DISABLED = Pattern.compile("sched_ext: BPF (?:sub-)?scheduler \"([^\"]*)\" disabled \\((.*)\\)$");
    private static final int KERN_ERR = 3;

    private SchedExtLog() { }

    /** The kernel's message buffer now, one raw record per line ("&lt;priority&gt;[time] text"). */
    public static List<String> read() {
        return Command.run("reading the kernel log", List.of("dmesg", "-r")).lines().toList();
    }

    /** The ends logged in {@code records} (as {@link #read()} returns them), in order. */
    public static List<Disable> disables(List<String> records) {
        List<Disable> found = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Matcher record = RECORD.matcher(records.get(i));
            if (!record.matches()) continue;
            Matcher disabled = DISABLED.matcher(record.group(2).trim());
            if (!disabled.find()) continue;
            boolean error = (Integer.parseInt(record.group(1)) & 7) <= KERN_ERR;
            String message = "";
            String prefix = "sched_ext: " + disabled.group(1) + ": ";
            if (error && i + 1 < records.size()) {
                Matcher next = RECORD.matcher(records.get(i + 1));
                if (next.matches() && next.group(2).trim().startsWith(prefix)) message = next.group(2).trim().substring(prefix.length());
            }
            found.add(new Disable(disabled.group(1), disabled.group(2), error, message));
        }
        return found;
    }
}
