package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.ringbuf.Config.ConsumerKind;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Prints, from one run, the five ratios the seed analysis makes claims about, for each producer
 * count, each with the absolute numbers it divides beside it; {@code n/a} where the run did not
 * measure a side. Every comparison changes one thing against the reference config: shared ring,
 * batch 1, prefetch off, per-record notification, libbpf consumer.
 *
 * <p>Ratios are speedups: above 1 the first-named side is better. Four compare delivered
 * events/s (getpgid calls whose event reached a ring: produced minus BPF drops; a dropped event is
 * cheap for the producer, so produced events/s alone would reward a full ring); the consumer line
 * compares the consumer thread's CPU ns per event (libbpf / mmap).
 */
final class Ratios {
    static final String PERCPU = "per-CPU vs shared rings";
    static final String BATCH = "batch 8 vs batch 1";
    static final String CONSUMER = "Java mmap vs libbpf consumer";
    static final String PREFETCH = "prefetch on vs off";
    static final String SAMPLED = "sampled vs per-record notify";
    /** The five labels, in print order: each starts one line of every producer block. */
    static final List<String> LABELS = List.of(PERCPU, BATCH, CONSUMER, PREFETCH, SAMPLED);
    static final String COST = "cost of one event vs baseline";
    private static final String LINE = "  %-30s %-6s %s%n";

    private Ratios() {
    }

    static Config reference(int producers) {
        return Config.event("shared", 1, false, 1, ConsumerKind.LIBBPF, producers);
    }

    static void print(PrintStream out, Summary s, List<Integer> producerCounts, int sampledEvery, int repetitions) {
        out.printf(Locale.ROOT, "Ratios from this one run (mean of %d repetition%s per config; x > 1: the first-named side is better).%n",
                repetitions, repetitions == 1 ? "" : "s");
        out.println("Reference config: ringbuf=shared, batch=1, prefetch=off, notify per record, libbpf consumer; each line changes one thing.");
        out.println("delivered = events/s that reached a ring (produced - BPF drops); produced = getpgid calls/s; bpf = ns per trigger run.");
        for (int p : producerCounts) {
            out.printf(Locale.ROOT, "P=%d producer%s%s:%n", p, p == 1 ? "" : "s", p == producerCounts.getLast() && producerCounts.size() > 1 ? " (max)" : "");
            producerLine(out, s, PERCPU, reference(p).withRingbuf("percpu"), reference(p));
            producerLine(out, s, BATCH, reference(p).withBatch(8), reference(p));
            consumerLine(out, s, reference(p).withConsumer(ConsumerKind.MMAP), reference(p));
            producerLine(out, s, PREFETCH, reference(p).withPrefetch(true), reference(p));
            producerLine(out, s, SAMPLED, reference(p).withNotify(sampledEvery), reference(p));
            costLine(out, s, reference(p), Config.baseline(p));
        }
    }

    private static void producerLine(PrintStream out, Summary s, String label, Config a, Config b) {
        double da = s.mean(a, "producer.delivered_per_s");
        double db = s.mean(b, "producer.delivered_per_s");
        String text = Double.isNaN(da) || Double.isNaN(db) ? "n/a"
                : String.format(Locale.ROOT, "delivered %s vs %s M/s (produced %s vs %s M/s; bpf %s vs %s ns/run; consumer %s vs %s ns/ev)",
                        m(da), m(db), m(s.mean(a, "producer.events_per_s")), m(s.mean(b, "producer.events_per_s")),
                        ns(s.mean(a, "bpf.ns_per_run")), ns(s.mean(b, "bpf.ns_per_run")),
                        ns(s.mean(a, "consumer.ns_per_event")), ns(s.mean(b, "consumer.ns_per_event")));
        out.printf(Locale.ROOT, LINE, label, Double.isNaN(da) || Double.isNaN(db) ? "n/a" : ratio(da / db), text);
    }

    /**
     * Consumer CPU ns per event draining a backlog (reading alone), libbpf / mmap; beside it the
     * live cost (CPU per event during the measured window, wake-ups and waits included).
     */
    private static void consumerLine(PrintStream out, Summary s, Config mmap, Config libbpf) {
        double na = s.mean(mmap, "consumer.backlog_ns_per_event");
        double nb = s.mean(libbpf, "consumer.backlog_ns_per_event");
        String text = Double.isNaN(na) || Double.isNaN(nb) ? "n/a"
                : String.format(Locale.ROOT, "backlog drain %s vs %s ns/ev (live, waits included: %s vs %s ns/ev; delivered %s vs %s M/s)",
                        one(na), one(nb), ns(s.mean(mmap, "consumer.ns_per_event")), ns(s.mean(libbpf, "consumer.ns_per_event")),
                        m(s.mean(mmap, "producer.delivered_per_s")), m(s.mean(libbpf, "producer.delivered_per_s")));
        out.printf(Locale.ROOT, LINE, CONSUMER, Double.isNaN(na) || Double.isNaN(nb) ? "n/a" : ratio(nb / na), text);
    }

    /** The reference config against the baseline (hook attached, early return): what one event costs the producer. */
    private static void costLine(PrintStream out, Summary s, Config ref, Config base) {
        double call = s.mean(ref, "producer.ns_per_call");
        double baseCall = s.mean(base, "producer.ns_per_call");
        double run = s.mean(ref, "bpf.ns_per_run");
        double baseRun = s.mean(base, "bpf.ns_per_run");
        String text = Double.isNaN(call) || Double.isNaN(baseCall) ? "n/a"
                : String.format(Locale.ROOT, "%s ns per getpgid (%s vs %s), of which in BPF %s ns per run (%s vs %s)",
                        signed(call - baseCall), ns(call), ns(baseCall), signed(run - baseRun), ns(run), ns(baseRun));
        out.printf(Locale.ROOT, LINE, COST, "", text);
    }

    static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "n/a" : String.format(Locale.ROOT, "%.2fx", r);
    }

    /** Millions, two decimals. */
    static String m(double perSecond) {
        return Double.isNaN(perSecond) ? "n/a" : String.format(Locale.ROOT, "%.2f", perSecond / 1e6);
    }

    static String one(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String signed(double ns) {
        return Double.isNaN(ns) ? "n/a" : String.format(Locale.ROOT, "%+.0f", ns);
    }

    static String ns(double ns) {
        return Double.isNaN(ns) ? "n/a" : String.format(Locale.ROOT, "%.0f", ns);
    }
}
