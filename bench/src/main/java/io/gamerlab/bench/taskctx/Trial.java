package io.gamerlab.bench.taskctx;

import io.gamerlab.bench.host.BpfStats;
import io.gamerlab.bench.host.HostLoad;
import io.gamerlab.bench.host.TrialMetrics;
import io.gamerlab.bpf.BpfLink;
import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BpfObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One trial: load the bench program built for a layout with the two threads' ids, attach both
 * programs, let the writer make its task context, run a warm-up (discarded) and a measured phase
 * (both threads, or one alone), detach, then check that each program saw every getpgid of its
 * thread and found the task context each time.
 */
final class Trial {
    /** The bench program: bpf/bench/taskctx_sharing.bpf.c, built per layout. */
    static final String PROGRAM = "taskctx_sharing";
    static final String WRITER = "taskctx_writer";
    static final String READER = "taskctx_reader";
    /** Writer calls before any phase, so the reader finds a task context from its first call. */
    static final int PRIME_CALLS = 1000;
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(5);
    /** What each program's work is. */
    private static final Map<String, String> WORK = Map.of(
            "writer", "the writer's work: task storage get (create), the role read, the counter updates,",
            "reader", "the reader's work: bpf_task_from_pid, task storage get, the classification reads, bpf_task_release,");

    /** How long each phase of a trial runs. */
    record Timing(long warmupNs, long durationNs) {
    }

    /** One phase's calls of each thread, {@code null} for a thread that sat idle. */
    private record Phase(CallerThread.Spin writer, CallerThread.Spin reader) {
    }

    private Trial() {
    }

    static TrialMetrics<Config> run(Config config, int repetition, int order, Path object, Timing timing, CallerThread writer, CallerThread reader) {
        TrialMetrics<Config> result = new TrialMetrics<>(config, repetition, order);
        try (BpfObject o = BpfObject.open(object)) {
            o.setReadOnlyUnsigned("target_tgid", ProcessHandle.current().pid());
            o.setReadOnlyUnsigned("writer_tid", writer.tid());
            o.setReadOnlyUnsigned("reader_tid", reader.tid());
            o.load();
            int writerFd = o.programFd(WRITER);
            int readerFd = o.programFd(READER);
            long writerBefore = writer.totalCalls();
            long readerBefore = reader.totalCalls();
            BpfMap counts = o.map(ThreadCounts.MAP);
            Phase measured;
            BpfStats.Reading writerStats;
            BpfStats.Reading readerStats;
            ThreadCounts writerWindow;
            ThreadCounts readerWindow;
            double otherLoad;
            try (BpfLink w = o.attachProgram(WRITER); BpfLink r = o.attachProgram(READER)) {
                writer.call(PRIME_CALLS);
                phase(config, writer, reader, timing.warmupNs());
                BpfStats.Reading w0 = BpfStats.read(writerFd);
                BpfStats.Reading r0 = BpfStats.read(readerFd);
                ThreadCounts wc0 = ThreadCounts.read(counts, ThreadCounts.WRITER);
                ThreadCounts rc0 = ThreadCounts.read(counts, ThreadCounts.READER);
                HostLoad load0 = HostLoad.now();
                measured = phase(config, writer, reader, timing.durationNs());
                otherLoad = HostLoad.now().otherBusyShareSince(load0);
                writerStats = BpfStats.read(writerFd).minus(w0);
                readerStats = BpfStats.read(readerFd).minus(r0);
                writerWindow = ThreadCounts.read(counts, ThreadCounts.WRITER).minus(wc0);
                readerWindow = ThreadCounts.read(counts, ThreadCounts.READER).minus(rc0);
            }
            ThreadCounts writerCounts = ThreadCounts.read(counts, ThreadCounts.WRITER);
            ThreadCounts readerCounts = ThreadCounts.read(counts, ThreadCounts.READER);
            long writerCalls = writer.totalCalls() - writerBefore;
            long readerCalls = reader.totalCalls() - readerBefore;

            thread(result, "reader", measured.reader(), reader);
            thread(result, "writer", measured.writer(), writer);
            program(result, "reader", readerStats, readerWindow, measured.reader() == null ? 0 : measured.reader().calls());
            program(result, "writer", writerStats, writerWindow, measured.writer() == null ? 0 : measured.writer().calls());
            result.add("host", "other_busy_share", "ratio", otherLoad,
                    "share of all CPU time busy outside this process (incl. steal), measured window, from /proc/stat ticks");
            checks(result, writerCounts, readerCounts, writerCalls, readerCalls);
        }
        return result;
    }

    /** The config's threads call getpgid from one start instant for {@code durationNs}. */
    private static Phase phase(Config config, CallerThread writer, CallerThread reader, long durationNs) {
        long startAt = System.nanoTime() + START_DELAY_NS;
        long endAt = startAt + durationNs;
        Future<CallerThread.Spin> w = config.writerRuns() ? writer.spin(startAt, endAt) : null;
        Future<CallerThread.Spin> r = config.readerRuns() ? reader.spin(startAt, endAt) : null;
        CallerThread.Spin readerSpin = r == null ? null : reader.await(r);
        return new Phase(w == null ? null : writer.await(w), readerSpin);
    }

    private static void thread(TrialMetrics<Config> r, String who, CallerThread.Spin spin, CallerThread thread) {
        if (spin == null) {
            r.add(who, "calls", "count", 0, "idle in the measured window");
            return;
        }
        r.add(who, "calls", "count", spin.calls(), "getpgid calls, measured window, pinned to cpu " + thread.cpu());
        r.add(who, "ns_per_call", "ns", spin.nsPerCall(), "elapsed/calls of one getpgid, measured window (its BPF program included)");
    }

    /**
     * One program over the measured window: BPF's own statistics, the same time per call of its
     * thread, and the work the program timed itself (calls that did the work, their mean time).
     */
    private static void program(TrialMetrics<Config> r, String who, BpfStats.Reading stats, ThreadCounts window, long ownCalls) {
        String source = "bpf." + who;
        r.add(source, "work_ns_per_call", "ns", window.workNsPerCall(), WORK.get(who) + " timed in BPF (bpf_ktime_get_ns before and after), measured window");
        r.add(source, "work_calls", "count", window.calls(), "calls that did that work, counted by the program, measured window");
        r.add(source, "ns_per_run", "ns", stats.nsPerRun(), "run_time_ns/run_cnt, measured window (BPF_ENABLE_STATS): "
                + "every run counts, the early returns for other syscalls and threads too");
        r.add(source, "runs", "count", stats.runCount(), "measured window");
        r.add(source, "run_time_ns", "ns", stats.runTimeNs(), "measured window");
        r.add(source, "other_runs", "count", stats.runCount() - ownCalls, "runs for other syscalls or threads (early return), measured window");
        if (ownCalls > 0) {
            r.add(source, "ns_per_call", "ns", (double) stats.runTimeNs() / ownCalls,
                    "run_time_ns per getpgid call of its thread: its work plus its early returns, measured window");
        }
        r.add(source, "recursion_misses", "count", stats.recursionMisses(), "measured window");
    }

    /** The programs' own counts (whole trial, from attach) against the threads' calls; where the task context lies. */
    private static void checks(TrialMetrics<Config> r, ThreadCounts writer, ThreadCounts reader, long writerCalls, long readerCalls) {
        r.add("bpf.writer", "calls", "count", writer.calls(), "counted by the program, whole trial");
        r.add("bpf.reader", "calls", "count", reader.calls(), "counted by the program, whole trial");
        r.check("verify", "writer_seen", "count", writer.seen() - writerCalls, writer.seen() == writerCalls,
                "writer program runs for its thread - the thread's getpgid calls = 0 (whole trial)");
        r.check("verify", "reader_seen", "count", reader.seen() - readerCalls, reader.seen() == readerCalls,
                "reader program runs for its thread - the thread's getpgid calls = 0 (whole trial)");
        r.check("verify", "writer_misses", "count", writer.misses(), writer.misses() == 0, "the writer always got its task context");
        r.check("verify", "reader_misses", "count", reader.misses(), reader.misses() == 0, "the reader always found the writer's task context");
        if (readerCalls > 0) {
            boolean same = writer.valueAddr() != 0 && writer.valueAddr() == reader.valueAddr();
            r.check("verify", "same_task_ctx", "bool", same ? 1 : 0, same, "the reader read the task context the writer wrote");
        }
        r.add("layout", "value_line_offset", "bytes", writer.lineOffset(),
                "where the task context's value starts within its 64-byte cache line (kernel address % 64); 0 = aligned as the compiler assumes");
    }
}
