package io.gamerlab.sched;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What an {@link InputEventStream} has seen so far, and what the BPF side counted.
 *
 * @param layout           the ring layout of the object (the ringbuf variant axis)
 * @param rings            ring buffers polled
 * @param events           events received
 * @param records          ring records received (one per event with batch=1)
 * @param timerRecords     records the BPF flush timer sent (partial batches)
 * @param sequenceGaps     per-CPU sequence numbers below the highest received that never came:
 *                         lost events, ring-full drops included (their events had numbers); a
 *                         loss after a CPU's last received event shows only in bpfDrops
 * @param reordered        events whose number was not above the highest seen before on their CPU
 * @param malformed        records of a size that is neither an event nor a batch
 * @param bpfDrops         events BPF counted as dropped (input_drops)
 * @param bpfRecords       records BPF submitted
 * @param bpfEvents        events in those records
 * @param bpfTimerFlushes  records BPF's flush timer submitted
 * @param bpfTimerRetries  timer callbacks that found their CPU's slot busy and retried
 * @param bpfTimerStarts   flush-timer starts (a batch's first event arms it unless a flush is pending)
 * @param bpfNested        events that went through the nested queue (producer found its slot busy)
 * @param bpfTimerErrors   failed bpf_timer_start calls
 * @param bpfPending       events staged or queued in BPF, not yet in a ring
 * @param eventsPerCpu     events received per CPU id
 * @param negativeLatencies events stamped after they were received (a clock mismatch; recorded as 0)
 * @param latency          latency from the BPF timestamp to receipt in Java, in ns (a copy: the stream
 *                         records on)
 */
public record InputEventSnapshot(
        InputEventStream.Layout layout, int rings,
        long events, long records, long timerRecords,
        long sequenceGaps, long reordered, long malformed,
        long bpfDrops, long bpfRecords, long bpfEvents, long bpfTimerFlushes, long bpfTimerRetries,
        long bpfTimerStarts, long bpfNested, long bpfTimerErrors, long bpfPending,
        List<Long> eventsPerCpu, long negativeLatencies, Histogram latency) {

    public InputEventSnapshot {
        eventsPerCpu = List.copyOf(eventsPerCpu);
    }

    public long p50Ns() {
        return latency.getValueAtPercentile(50);
    }

    public long p95Ns() {
        return latency.getValueAtPercentile(95);
    }

    public long p99Ns() {
        return latency.getValueAtPercentile(99);
    }

    public long maxNs() {
        return latency.getMaxValue();
    }

    /** Events lost between BPF and Java: gaps that BPF did not report as drops. */
    public long lostInTransit() {
        return Math.max(0, sequenceGaps - bpfDrops);
    }

    /** Mean events per record: the batching actually achieved. */
    public double eventsPerRecord() {
        return records == 0 ? 0 : (double) events / records;
    }

    /** One line for logs and test output. */
    public String summary() {
        return String.format("%s rings=%d events=%d records=%d (%.2f/record, %d by timer) gaps=%d reordered=%d "
                        + "bpf[drops=%d records=%d nested=%d timerStarts=%d timerRetries=%d timerErrors=%d pending=%d] perCpu=%s "
                        + "latency p50=%d p95=%d p99=%d max=%d ns",
                layout, rings, events, records, eventsPerRecord(), timerRecords, sequenceGaps, reordered,
                bpfDrops, bpfRecords, bpfNested, bpfTimerStarts, bpfTimerRetries, bpfTimerErrors, bpfPending, eventsPerCpu,
                p50Ns(), p95Ns(), p99Ns(), maxNs());
    }
}
