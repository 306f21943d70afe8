package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.ringbuf.Config.ConsumerKind;
import java.io.PrintStream;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The cross-check of our ring-buffer numbers against the kernel's own bench ({@code bench_ringbufs},
 * run in the same plan as our trials): for each of its batch counts, how its total rate scales from
 * one producer to the most, and what one record costs a producer, beside the same for our
 * producer-only trials at the same burst. Ours and the kernel's differ in what a record is (our
 * 32-byte input event through the scheduler's event path vs an 8-byte sample) and in the kernel's
 * consumer running beside its producers: the cross-check is whether the two agree on the shape
 * (scaling) and the order of magnitude (cost), not on equal numbers. Means ± sd over repetitions.
 */
final class KernelRatios {
    static final String SCALING = "cross-check scaling";
    static final String COST = "cross-check cost";
    private static final String OURS = "producer.ns_per_event";

    private KernelRatios() {
    }

    /** The kernel bench's drops as a share of what its producers attempted, e.g. "12%". */
    private static String dropShare(Summary s, Config kernel) {
        double share = s.mean(kernel, "kernel.drops_per_s") / s.mean(kernel, "kernel.total_ops_per_s");
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    static void print(PrintStream out, Summary s, List<Integer> producers, List<Integer> batchCounts) {
        int max = Collections.max(producers);
        out.println("Cross-check with the kernel's own bench_ringbufs (BPF selftests of Debian's kernel source, hook tp_btf/sys_enter), same machine,");
        out.println("interleaved with the trials above: one shared 512 KB ring, 8-byte records, its consumer running; 'ours' = producer-only trials,");
        out.println("shared ring, 32-byte input events. Rate = records attempted per second (kernel: hits + drops; a failed reserve, a drop, is cheaper");
        out.println("than a record written, so read its drop share beside it); cost = wall ns per record per producer.");
        for (int burst : batchCounts) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-22s burst %-4d P=%d/P=1 rate:", SCALING, burst, max));
            for (ConsumerKind c : List.of(ConsumerKind.LIBBPF, ConsumerKind.MMAP)) {
                Config k = Config.kernel(c, max, burst);
                Config one = Config.kernel(c, 1, burst);
                line.append(String.format(Locale.ROOT, " kernel %s %s (%s vs %s M/s, drops %s vs %s);", k.kernelBench(),
                        Ratios.ratio(s.mean(k, "producer.events_per_s") / s.mean(one, "producer.events_per_s")),
                        Ratios.m(s.mean(k, "producer.events_per_s")), Ratios.m(s.mean(one, "producer.events_per_s")), dropShare(s, k), dropShare(s, one)));
            }
            for (String rb : List.of("shared", "percpu")) {
                Config o = Config.producerOnly(rb, 1, max, burst);
                line.append(String.format(Locale.ROOT, " ours %s %s (%s vs %s M/s);", rb,
                        Ratios.ratio(s.mean(o, "producer.events_per_s") / s.mean(Config.producerOnly(rb, 1, 1, burst), "producer.events_per_s")),
                        Ratios.m(s.mean(o, "producer.events_per_s")), Ratios.m(s.mean(Config.producerOnly(rb, 1, 1, burst), "producer.events_per_s"))));
            }
            out.println(line);
            for (int p : producers) {
                StringBuilder cost = new StringBuilder(String.format(Locale.ROOT, "  %-22s burst %-4d P=%d ns/record:", COST, burst, p));
                double kernelLibbpf = s.mean(Config.kernel(ConsumerKind.LIBBPF, p, burst), OURS);
                for (ConsumerKind c : List.of(ConsumerKind.LIBBPF, ConsumerKind.MMAP)) {
                    Config k = Config.kernel(c, p, burst);
                    cost.append(String.format(Locale.ROOT, " kernel %s %s ± %s;", k.kernelBench(), Ratios.one(s.mean(k, OURS)), Ratios.one(s.stddev(k, OURS))));
                }
                Config ours = Config.producerOnly("shared", 1, p, burst);
                cost.append(String.format(Locale.ROOT, " ours shared %s ± %s (ours / kernel rb-libbpf %s)", Ratios.one(s.mean(ours, OURS)),
                        Ratios.one(s.stddev(ours, OURS)), Ratios.ratio(s.mean(ours, OURS) / kernelLibbpf)));
                out.println(cost);
            }
        }
    }
}
