package io.gamerlab.analysis;

import java.util.List;

/**
 * The seed analysis's hypotheses as notebooks/ and papers/ present them: one per proposal (and
 * one for the combined claim), each with the ledger claims it tests and how it is measured, in
 * words. The method text explains how, never what came out: every result is computed by
 * {@link Chapter} from the datasets.
 */
public enum Hypothesis {
    SINGLE_WRITER("01-single-writer", "Single writer: per-CPU ring buffers against one shared ring",
            List.of("contention", "percpu-scaling"),
            "Producer-only trials of the ring-buffer bench (bench/README.md): producer threads pinned one per CPU and running "
                    + "under SCHED_FIFO call getpgid, whose BPF hook writes a burst of events through the scheduler's own event "
                    + "path, while no consumer runs; each ring is sized to hold the whole trial and is drained and verified "
                    + "afterwards, so no event is lost and nothing but the writers touches the ring. Per-write cost is each "
                    + "producer's CPU time per event (time spinning on the ring's lock counts; time the CPU gave other "
                    + "processes does not). Contention is the shared ring against per-CPU rings with two producers; the same "
                    + "comparison with one producer is the control (no second writer, so no contention). Scaling is the events "
                    + "all producers write per CPU-second, from one producer to two. Configurations run interleaved in a seeded "
                    + "random order, each repeated."),
    PREFETCH("02-prefetch", "Prefetching: the next ring entry, the task context, the CPU-context scan",
            List.of("prefetch-ring-entry", "prefetch-task-ctx", "prefetch-cpu-scan"),
            "Builds of the same BPF code with the prefetch axis off and on. For the ring entry: live trials of the "
                    + "ring-buffer bench, the trigger program's run time per event from the kernel's BPF statistics; each run "
                    + "also records whether the two builds differ in a single BPF instruction (llvm-objdump -d), since "
                    + "__builtin_prefetch has no BPF instruction. The task-context and CPU-scan prefetches live in the "
                    + "scheduler's select_cpu, which only a kernel with sched_ext runs."),
    BATCHING("03-batching", "Batching: fewer reserve/submit calls, cheaper events, a later first event",
            List.of("batching-calls", "batching-per-event", "batching-first-event"),
            "The scheduler's event path staging B events per CPU and sending them as one record (a flush timer sends a "
                    + "partial batch within 1 ms). Calls: events per record the consumer received. Per-event cost: "
                    + "producer-only trials with one producer (so no contention enters) and bursts large enough that the ring, "
                    + "not the syscall, dominates. First-event latency: the latency bench, one real-time producer pinned to one "
                    + "CPU and a spinning real-time consumer on another, timing each event from its creation in BPF to the "
                    + "moment the consumer reaches its record (both CLOCK_MONOTONIC), per trial as percentiles of an "
                    + "HdrHistogram; arrivals: bursts that fill whole batches, lone events that leave with the flush timer, "
                    + "and back-to-back calls."),
    PIPELINE_BOOST("04-pipeline-boost", "Pipeline-aware scheduling: boosting the next stage of a frame pipeline",
            List.of("pipeline-boost"),
            "The frame-pipeline workload (stages handing work to each other by wake-ups) under the scheduler with the "
                    + "pipeline axis off and on; the measure is the wait from a stage's wake-up to its running, per stage "
                    + "transition, across runs."),
    FALSE_SHARING("05-false-sharing", "Read-mostly vs write-heavy task data: false sharing of the task context",
            List.of("split-task-ctx"),
            "A writer on one CPU updates a task context's counters while a reader on another reads its classification. "
                    + "In BPF: the task-context bench with the scheduler's packed and split layouts, the reader's work per "
                    + "lookup timed inside its program; in the JVM: a JMH bench with the same two layouts in off-heap memory, "
                    + "one fork per repetition."),
    COMBINED("06-proposals-combined", "Proposals 1 and 2 together: per-CPU rings with prefetching",
            List.of("proposals-1-2"),
            "The relative saving of the variant with both proposals (per-CPU rings, prefetch on) against the reference "
                    + "(shared ring, prefetch off) on the input-event path (live ring-buffer bench, BPF run time per event) "
                    + "and on the scheduler's hot path (select_cpu, which only a kernel with sched_ext runs).");

    private final String slug;
    private final String title;
    private final List<String> claims;
    private final String method;

    Hypothesis(String slug, String title, List<String> claims, String method) {
        this.slug = slug;
        this.title = title;
        this.claims = claims;
        this.method = method;
    }

    /** Its notebook's and paper's file name, without extension: {@code 01-single-writer}. */
    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    /** The ids of the ledger claims it tests. */
    public List<String> claims() {
        return claims;
    }

    /** How it is measured, in words (never a result). */
    public String method() {
        return method;
    }
}
