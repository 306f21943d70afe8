package io.gamerlab.bench.taskctx;

import io.gamerlab.bench.host.TrialSummary;
import io.gamerlab.bench.taskctx.Config.Threads;
import io.gamerlab.sched.Axis;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Prints, from one run, packed against split side by side, each ratio with the absolute numbers it
 * divides beside it ({@code n/a} where the run did not measure a side); then, per thread and
 * layout, what the other thread costs it (both running minus alone), and the difference of those
 * costs between the layouts: the false sharing.
 *
 * <p>Ratios are packed/split of a cost in ns: above 1, split is cheaper. (The JMH
 * FalseSharingBench reports throughput, so its packed/split of 0.37 is 1/0.37 = 2.7 in these terms.)
 */
final class LayoutRatios {
    /** The ratio lines, in print order; each starts with its label. */
    enum Line {
        READER("reader getpgid ns/call"),
        WRITER("writer getpgid ns/call"),
        BPF_READER("BPF taskctx_reader ns/run"),
        BPF_WRITER("BPF taskctx_writer ns/run"),
        READER_ALONE("reader alone ns/call (control)"),
        WRITER_ALONE("writer alone ns/call (control)");

        final String label;

        Line(String label) {
            this.label = label;
        }
    }

    static final String COST = "cost of the other thread";
    static final String FALSE_SHARING = "false sharing (packed - split)";
    private static final String LINE = "  %-32s %-6s %s%n";
    private static final String PACKED = Axis.TASKCTX.choices().get(0);
    private static final String SPLIT = Axis.TASKCTX.choices().get(1);

    private LayoutRatios() {
    }

    static void print(PrintStream out, TrialSummary<Config> s, int repetitions) {
        out.printf(Locale.ROOT, "Ratios from this one run: packed/split of the mean ns over %d repetition%s, both threads running unless said "
                + "(x > 1: split is cheaper; the JMH FalseSharingBench's throughput ratio 0.37 would be 2.7x here).%n", repetitions, repetitions == 1 ? "" : "s");
        callLine(out, s, Line.READER, "reader.ns_per_call", Threads.BOTH);
        callLine(out, s, Line.WRITER, "writer.ns_per_call", Threads.BOTH);
        programLine(out, s, Line.BPF_READER, "bpf.reader");
        programLine(out, s, Line.BPF_WRITER, "bpf.writer");
        callLine(out, s, Line.READER_ALONE, "reader.ns_per_call", Threads.READER_ALONE);
        callLine(out, s, Line.WRITER_ALONE, "writer.ns_per_call", Threads.WRITER_ALONE);
        out.println("What the other thread costs each (both running - alone, same layout), per getpgid and in the program's own work:");
        for (String who : List.of("reader", "writer"))
            for (String layout : List.of(PACKED, SPLIT)) costLine(out, s, who, layout);
        for (String who : List.of("reader", "writer")) falseSharingLine(out, s, who);
    }

    private static void callLine(PrintStream out, TrialSummary<Config> s, Line line, String key, Threads threads) {
        double p = s.mean(new Config(PACKED, threads), key);
        double q = s.mean(new Config(SPLIT, threads), key);
        String text = Double.isNaN(p) || Double.isNaN(q) ? "n/a" : String.format(Locale.ROOT, "packed %s vs split %s ns", one(p), one(q));
        out.printf(Locale.ROOT, LINE, line.label, ratio(p / q), text);
    }

    /** BPF's ns/run, and beside it the same time per call of the program's thread and the work timed inside the program. */
    private static void programLine(PrintStream out, TrialSummary<Config> s, Line line, String source) {
        Config packed = new Config(PACKED, Threads.BOTH);
        Config split = new Config(SPLIT, Threads.BOTH);
        double p = s.mean(packed, source + ".ns_per_run");
        double q = s.mean(split, source + ".ns_per_run");
        String text = Double.isNaN(p) || Double.isNaN(q) ? "n/a"
                : String.format(Locale.ROOT, "packed %s vs split %s ns/run (per call of its thread %s; work timed in BPF %s)", one(p), one(q),
                        pair(s, packed, split, source + ".ns_per_call"), pair(s, packed, split, source + ".work_ns_per_call"));
        out.printf(Locale.ROOT, LINE, line.label, ratio(p / q), text);
    }

    /** "a vs b ns, r" for one metric of two configs. */
    private static String pair(TrialSummary<Config> s, Config a, Config b, String key) {
        double x = s.mean(a, key);
        double y = s.mean(b, key);
        return one(x) + " vs " + one(y) + " ns, " + ratio(x / y);
    }

    private static void costLine(PrintStream out, TrialSummary<Config> s, String who, String layout) {
        Config both = new Config(layout, Threads.BOTH);
        Config alone = both.with(who.equals("reader") ? Threads.READER_ALONE : Threads.WRITER_ALONE);
        double call = cost(s, both, alone, who + ".ns_per_call");
        double work = cost(s, both, alone, "bpf." + who + ".work_ns_per_call");
        String text = Double.isNaN(call) ? "n/a"
                : String.format(Locale.ROOT, "%s ns per getpgid (%s vs %s alone), %s ns in its BPF work (%s vs %s alone)", signed(call),
                        one(s.mean(both, who + ".ns_per_call")), one(s.mean(alone, who + ".ns_per_call")), signed(work),
                        one(s.mean(both, "bpf." + who + ".work_ns_per_call")), one(s.mean(alone, "bpf." + who + ".work_ns_per_call")));
        out.printf(Locale.ROOT, LINE, COST + ": " + who + ", " + layout, "", text);
    }

    /** Packed's cost of the other thread minus split's: what sharing the line adds, beyond what the other thread costs anyway. */
    private static void falseSharingLine(PrintStream out, TrialSummary<Config> s, String who) {
        Threads alone = who.equals("reader") ? Threads.READER_ALONE : Threads.WRITER_ALONE;
        double call = cost(s, new Config(PACKED, Threads.BOTH), new Config(PACKED, alone), who + ".ns_per_call")
                - cost(s, new Config(SPLIT, Threads.BOTH), new Config(SPLIT, alone), who + ".ns_per_call");
        double work = cost(s, new Config(PACKED, Threads.BOTH), new Config(PACKED, alone), "bpf." + who + ".work_ns_per_call")
                - cost(s, new Config(SPLIT, Threads.BOTH), new Config(SPLIT, alone), "bpf." + who + ".work_ns_per_call");
        String text = Double.isNaN(call) ? "n/a" : String.format(Locale.ROOT, "%s ns per getpgid, %s ns in its BPF work", signed(call), signed(work));
        out.printf(Locale.ROOT, LINE, FALSE_SHARING + ": " + who, "", text);
    }

    private static double cost(TrialSummary<Config> s, Config both, Config alone, String key) {
        return s.mean(both, key) - s.mean(alone, key);
    }

    static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "n/a" : String.format(Locale.ROOT, "%.2fx", r);
    }

    static String one(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String signed(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.1f", v);
    }
}
