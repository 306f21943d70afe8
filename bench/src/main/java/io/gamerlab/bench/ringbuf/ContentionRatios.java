package io.gamerlab.bench.ringbuf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Prints, from one run's producer-only trials (no consumer while the producers run, a burst of
 * events per getpgid), what the seed's ring-buffer claims are about: the per-record producer cost
 * and the total throughput by producer count for each ring layout, how throughput scales with
 * producers, what sharing one ring costs per write (shared minus per-CPU, at the same producer
 * count), where the ring rather than the syscall limits the producers, and what batching saves per
 * event. Every number is a mean over the run's repetitions with its standard deviation beside it;
 * {@code n/a} where the run did not measure a side.
 */
final class ContentionRatios {
    static final String TABLE = "Producer-only";
    static final String SCALING = "scaling";
    static final String CONTENTION = "contention per write";
    static final String BOTTLENECK = "ring vs syscall";
    static final String BATCHING = "batch 8 vs 1";
    private static final List<String> LAYOUTS = List.of("shared", "sharded", "percpu");
    /**
     * The per-event cost the comparisons use: the producer threads' own CPU time per event. On a
     * shared machine other work takes the producers' CPUs now and then; wall time would count that
     * as ring cost, CPU time does not (spinning on the ring's lock is CPU time, so contention counts).
     */
    static final String COST = "producer.cpu_ns_per_event";
    private static final String WALL = "producer.ns_per_event";

    private ContentionRatios() {
    }

    static void print(PrintStream out, Summary s, List<Integer> producers, List<Integer> bursts) {
        int max = Collections.max(producers);
        int largest = Collections.max(bursts);
        List<String> layouts = new ArrayList<>(LAYOUTS.stream().filter(rb -> s.has(Config.producerOnly(rb, 1, producers.getFirst(), bursts.getFirst()))).toList());
        if (layouts.isEmpty()) layouts.add("shared");
        out.println(TABLE + " trials (no consumer while the producers run; each getpgid emits a burst of events through gamer_emit_input_event;");
        out.println("rings sized to hold the whole trial, drained and checked afterwards). Mean ± sd over repetitions.");
        out.printf(Locale.ROOT, "Per-event producer cost: CPU ns ± sd (mean over producers of thread CPU time / events) | wall ns (elapsed / events) | "
                + "total throughput, M events/s; batch 1:%n");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %5s  %-8s", "burst", "ringbuf"));
        for (int p : producers) header.append(String.format(Locale.ROOT, "  %-34s", "P=" + p));
        out.println(header);
        for (int burst : bursts)
            for (String rb : layouts) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %5d  %-8s", burst, rb));
                for (int p : producers) {
                    Config c = Config.producerOnly(rb, 1, p, burst);
                    line.append(String.format(Locale.ROOT, "  %-34s", s.has(c)
                            ? Ratios.one(s.mean(c, COST)) + " ± " + Ratios.one(s.stddev(c, COST)) + " | " + Ratios.one(s.mean(c, WALL)) + " | "
                            + Ratios.m(s.mean(c, "producer.events_per_s"))
                            : "n/a"));
                }
                out.println(line);
            }

        out.printf(Locale.ROOT, "Throughput P=%d vs P=1 (linear scaling would be %d.00x), batch 1: wall (events/s), and on CPU (P / CPU ns per event: "
                + "as if each producer had its CPU to itself):%n", max, max);
        for (String rb : layouts) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-22s %-8s", SCALING, rb));
            for (int burst : bursts) {
                Config most = Config.producerOnly(rb, 1, max, burst);
                Config one = Config.producerOnly(rb, 1, 1, burst);
                double wall = s.mean(most, "producer.events_per_s") / s.mean(one, "producer.events_per_s");
                double onCpu = max * s.mean(one, COST) / s.mean(most, COST);
                line.append(String.format(Locale.ROOT, "  burst %d: %s (on CPU %s)", burst, max == 1 ? "n/a" : Ratios.ratio(wall),
                        max == 1 ? "n/a" : Ratios.ratio(onCpu)));
            }
            out.println(line);
        }

        out.printf(Locale.ROOT, "What sharing a ring costs per event: shared minus per-CPU CPU ns/event ± sd, same producer count (P=1: no second writer, "
                + "the control), and shared/per-CPU:%n");
        for (int p : producers) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-22s P=%-6d", CONTENTION, p));
            for (int burst : bursts) {
                Config shared = Config.producerOnly("shared", 1, p, burst);
                Config percpu = Config.producerOnly("percpu", 1, p, burst);
                double d = s.mean(shared, COST) - s.mean(percpu, COST);
                double sd = Math.hypot(s.stddev(shared, COST), s.stddev(percpu, COST));
                line.append(String.format(Locale.ROOT, "  burst %d: %s ± %s ns (%s)", burst, Ratios.signed(d), Ratios.ns(sd),
                        Ratios.ratio(s.mean(shared, COST) / s.mean(percpu, COST))));
            }
            out.println(line);
        }

        out.printf(Locale.ROOT, "Where the ring, not the syscall, limits the producer: the syscall's share per event (the baseline's CPU ns per call "
                + "/ burst) vs BPF's ns per event, batch 1:%n");
        for (int p : List.of(1, max).stream().distinct().toList())
            for (String rb : layouts) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-22s P=%d %-8s", BOTTLENECK, p, rb));
                double call = s.mean(Config.baseline(p), "producer.cpu_ns_per_call");
                Integer from = null;
                for (int burst : bursts) {
                    double bpf = s.mean(Config.producerOnly(rb, 1, p, burst), "bpf.ns_per_event");
                    double syscall = call / burst;
                    line.append(String.format(Locale.ROOT, "  burst %d: %s vs %s", burst, Ratios.ns(syscall), Ratios.ns(bpf)));
                    if (from == null && bpf > syscall) from = burst;
                }
                line.append(from == null ? "  -> the syscall limits at every burst measured" : "  -> the ring limits from burst " + from + " on");
                out.println(line);
            }

        out.printf(Locale.ROOT, "What batching saves per event, burst %d (batch 1 minus batch 8: producer CPU ns/event ± sd, and BPF's ns/event):%n", largest);
        for (int p : producers)
            for (String rb : layouts) {
                Config b1 = Config.producerOnly(rb, 1, p, largest);
                Config b8 = Config.producerOnly(rb, 8, p, largest);
                double d = s.mean(b1, COST) - s.mean(b8, COST);
                double dBpf = s.mean(b1, "bpf.ns_per_event") - s.mean(b8, "bpf.ns_per_event");
                out.printf(Locale.ROOT, "  %-22s P=%d %-8s %s ± %s ns per event (%s vs %s); BPF %s ns per event%n", BATCHING, p, rb,
                        Ratios.signed(d), Ratios.ns(Math.hypot(s.stddev(b1, COST), s.stddev(b8, COST))),
                        Ratios.one(s.mean(b1, COST)), Ratios.one(s.mean(b8, COST)), Ratios.signed(dBpf));
            }
    }
}
