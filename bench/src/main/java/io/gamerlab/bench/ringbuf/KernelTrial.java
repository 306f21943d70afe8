package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.HostLoad;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One trial of the kernel's own ring-buffer bench ({@code bench_ringbufs} of the BPF selftests,
 * built for this host by {@code scripts/kernel-ringbuf-bench.sh}): one process run of
 * {@code chrt -r 1 bench -w W -d D -a -p P -c 1 --rb-batch-cnt N rb-libbpf|rb-custom}, its summary
 * line parsed. Its producers spin on getpgid, whose hook (tp_btf/sys_enter here) reserves and submits N
 * 8-byte records into one shared 512 KB ring; one consumer counts them (hits); a failed reserve
 * counts as a drop. Producers and the consumer are pinned ({@code -a}) CPU by CPU, wrapping.
 */
final class KernelTrial {
    /** "Summary: hits    5.439 ± 0.163M/s (  2.720M/prod), drops    1.462 ± 0.116M/s, total operations    6.901 ± 0.109M/s" */
    private static final Pattern SUMMARY = Pattern.compile("Summary: hits\\s+([\\d.]+) \u00b1\\s*([\\d.]+)M/s \\(\\s*([\\d.]+)M/prod\\), "
            + "drops\\s+([\\d.]+) \u00b1\\s*([\\d.]+)M/s, total operations\\s+([\\d.]+) \u00b1\\s*([\\d.]+)M/s");
    private static final long SLACK_SECONDS = 60;

    private KernelTrial() {
    }

    /**
     * The bench's command line for a config, under SCHED_RR (priority {@value Producers#REALTIME_PRIORITY}) as our
     * producer-only trials run under SCHED_FIFO, so that its producers too run side by side on a
     * shared machine; round-robin rather than FIFO so that its consumer still gets turns on a CPU it
     * shares with a producer.
     */
    static List<String> command(Path bench, Config c, int warmupSeconds, int durationSeconds) {
        return List.of("chrt", "-r", Integer.toString(Producers.REALTIME_PRIORITY), bench.toString(), "-w", Integer.toString(warmupSeconds), "-d", Integer.toString(durationSeconds), "-a",
                "-p", Integer.toString(c.producers()), "-c", "1", "--rb-batch-cnt", Integer.toString(c.burst()), c.kernelBench());
    }

    static TrialResult run(Config config, int repetition, int order, Path bench, int warmupSeconds, int durationSeconds) {
        if (!config.kernel()) throw new IllegalArgumentException("not a kernel bench config: " + config);
        TrialResult r = new TrialResult(config, repetition, order);
        List<String> command = command(bench, config, warmupSeconds, durationSeconds);
        String output;
        int status;
        HostLoad load0 = HostLoad.now();
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(warmupSeconds + durationSeconds + SLACK_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end");
            }
            output = new String(bytes, StandardCharsets.UTF_8);
            status = p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the kernel's ring-buffer bench " + bench + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the kernel's ring-buffer bench ran", e);
        }
        r.add("host", "other_busy_share", "ratio", HostLoad.now().otherBusyShareSince(load0),
                "share of all CPU time busy outside this process (incl. steal) while the bench process ran (its own CPU counts as other), from /proc/stat ticks");
        record(r, config, output, status, String.join(" ", command));
        return r;
    }

    /** The bench's summary as metrics, or failed checks saying what it printed. */
    static void record(TrialResult r, Config config, String output, int status, String command) {
        r.check("verify", "exit_status", "count", status, status == 0, "expected 0 from: " + command);
        Matcher m = SUMMARY.matcher(output);
        boolean found = m.find();
        r.check("verify", "summary", "bool", found ? 1 : 0, found, found ? "parsed from: " + command : "no summary line in its output: " + tail(output));
        if (!found) return;
        double hits = Double.parseDouble(m.group(1)) * 1e6;
        double drops = Double.parseDouble(m.group(4)) * 1e6;
        double total = Double.parseDouble(m.group(6)) * 1e6;
        String per = "the kernel bench's mean over its measured seconds";
        r.add("kernel", "hits_per_s", "count/s", hits, per + ": records the consumer received");
        r.add("kernel", "hits_sd", "count/s", Double.parseDouble(m.group(2)) * 1e6, "sd over its measured seconds");
        r.add("kernel", "hits_per_producer_per_s", "count/s", Double.parseDouble(m.group(3)) * 1e6, per);
        r.add("kernel", "drops_per_s", "count/s", drops, per + ": reserves that failed (ring full)");
        r.add("kernel", "drops_sd", "count/s", Double.parseDouble(m.group(5)) * 1e6, "sd over its measured seconds");
        r.add("kernel", "total_ops_per_s", "count/s", total, per + ": hits + drops, what the producers attempted");
        r.add("kernel", "total_ops_sd", "count/s", Double.parseDouble(m.group(7)) * 1e6, "sd over its measured seconds");
        r.add("producer", "events_per_s", "count/s", total, "records the producers reserved or failed to (kernel total operations), all producers");
        r.add("producer", "delivered_per_s", "count/s", hits, "records that reached the consumer (kernel hits)");
        r.add("producer", "ns_per_event", "ns", config.producers() * 1e9 / total,
                "producers x 1e9 / total operations: each producer's wall ns per record attempted (8-byte records, " + config.burst() + " per getpgid)");
    }

    private static String tail(String output) {
        List<String> lines = new ArrayList<>(output.lines().toList());
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
