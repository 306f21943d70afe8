package io.gamerlab.bench.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was with work other than this process, from /proc/stat (all CPUs) and
 * /proc/self/stat (this process), in clock ticks: on a shared machine, a trial that ran beside
 * someone else's load says so in its own row. Tick resolution (10 ms) makes it approximate.
 */
public record HostLoad(long totalTicks, long busyTicks, long ownTicks) {

    public static HostLoad now() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest and guest_nice are inside user and nice)
            for (int i = 1; i <= Math.min(8, cpu.length - 1); i++) total += Long.parseLong(cpu[i]);
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] f = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
            // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based), so index 11 and 12 here
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return new HostLoad(total, total - idle, own);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Share of all CPU time between {@code earlier} and this reading spent busy outside this process (steal included). */
    public double otherBusyShareSince(HostLoad earlier) {
        long total = totalTicks - earlier.totalTicks;
        if (total <= 0) return Double.NaN;
        long other = (busyTicks - earlier.busyTicks) - (ownTicks - earlier.ownTicks);
        return Math.max(0, (double) other / total);
    }
}
