package io.gamerlab.experiment;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a cell's time went, phase by phase, on the clock of the machine that ran it: each
 * {@link #lap} closes the phase that began at the previous one. A guest leaves them beside its
 * cell's result ({@link #encode}), so the host can record them in the cell's rows ({@link CellCost})
 * and a sweep can say what its overhead is made of.
 */
final class CellPhases {

    /** Reading the cell's spec. */
    static final String SPEC = "spec";
    /** Building the workload, hashing the variant's object, gathering provenance. */
    static final String PREPARE = "prepare";
    /** The unmeasured warm-up, from the workload's start to its end (its nominal length is workload time). */
    static final String WARMUP = "warmup";
    /** Opening the variant's object, the verifier, loading it. */
    static final String LOAD = "load";
    /** Enabling the scheduler (struct_ops), starting the event stream, attaching its hooks. */
    static final String ATTACH = "attach";
    /** The measured workload with counters opened and closed (its nominal length is workload time). */
    static final String WORKLOAD = "workload";
    /** Stopping the retuner, detaching, draining the event stream, the kernel's exit report. */
    static final String DETACH = "detach";
    /** Reading sched_ext's state and the scheduler's counters into the cell's table. */
    static final String TABULATE = "tabulate";
    /** In a cell that failed: the phase under way, up to its error. */
    static final String FAILED = "failed";
    /** The cell's files written and flushed to disk. */
    static final String WRITE = "write";

    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long last = System.nanoTime();

    /** Ends the phase under way as {@code phase} (added to it, if it ran before) and starts the next. */
    void lap(String phase) {
        long now = System.nanoTime();
        nanos.merge(phase, now - last, Long::sum);
        last = now;
    }

    /** As {@link #lap(String)}, but the phase's last {@code tailTook} counted as {@code tail}, a phase of its own. */
    void lap(String phase, String tail, Duration tailTook) {
        lap(phase);
        long moved = Math.min(tailTook.toNanos(), nanos.get(phase));
        nanos.merge(phase, -moved, Long::sum);
        nanos.merge(tail, moved, Long::sum);
    }

    Map<String, Duration> durations() {
        Map<String, Duration> out = new LinkedHashMap<>();
        nanos.forEach((phase, ns) -> out.put(phase, Duration.ofNanos(ns)));
        return Collections.unmodifiableMap(out);
    }

    /** One {@code phase=nanoseconds} line per phase, in the order they ran. */
    byte[] encode() {
        StringBuilder text = new StringBuilder();
        nanos.forEach((phase, ns) -> text.append(phase).append('=').append(ns).append('\n'));
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** What {@link #encode} wrote; a line that is not {@code phase=nanoseconds} is refused, naming it. */
    static Map<String, Duration> decode(String text) {
        Map<String, Duration> out = new LinkedHashMap<>();
        for (String line : text.lines().filter(l -> !l.isBlank()).toList()) {
            int eq = line.indexOf('=');
            try {
                out.put(line.substring(0, eq), Duration.ofNanos(Long.parseLong(line.substring(eq + 1).strip())));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("a cell's phase line must be phase=nanoseconds, was '" + line + "'");
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
