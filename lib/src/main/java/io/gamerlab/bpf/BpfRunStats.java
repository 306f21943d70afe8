package io.gamerlab.bpf;

/**
 * BPF's run-time statistics ({@code run_time_ns}, {@code run_cnt} of every program) switched on
 * for as long as this is open, through the {@code BPF_ENABLE_STATS} command: the kernel keeps
 * them on while any fd it returned is open, and drops this one's share when the fd closes, also
 * when the process dies, however it dies. Unlike writing the global sysctl
 * {@code kernel.bpf_stats_enabled}, nothing is left on by a process that is killed; the sysctl
 * itself is not changed (it reads as before).
 */
public final class BpfRunStats implements AutoCloseable {
    private static final int BPF_STATS_RUN_TIME = 0;

    private final int fd;
    private boolean closed;

    private BpfRunStats(int fd) {
        this.fd = fd;
    }

    /** Turns the statistics on until {@link #close()}; needs CAP_SYS_ADMIN (root). */
    public static BpfRunStats enable() {
        Libbpf libbpf = Libbpf.get();
        LibbpfLog.clear();
        int fd = libbpf.bpf_enable_stats(BPF_STATS_RUN_TIME);
        if (fd < 0) throw libbpf.failure("bpf_enable_stats(BPF_STATS_RUN_TIME)", -fd);
        return new BpfRunStats(fd);
    }

    /** Gives up this share of the statistics; they stay on only while another holder (or the sysctl) keeps them. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        RingBufferMmapLibc.get().close(fd);  // libc's close, bound there
    }
}
