package io.gamerlab.experiment;

import tech.tablesaw.api.Table;

/**
 * What a run produced: its table (see {@link io.gamerlab.measure.RunTable}) and what the kernel
 * reported about sched_ext while and after it ran.
 *
 * @param stateDuring {@code /sys/kernel/sched_ext/state} read half-way through the workload
 * @param opsDuring   {@code /sys/kernel/sched_ext/root/ops} at the same moment
 * @param stateAfter  the state after the scheduler was closed
 * @param exitKind    the kernel's exit kind for our scheduler (64: unloaded from user space)
 * @param exitReason  the kernel's words for why it stopped
 */
public record RunResult(Table table, String stateDuring, String opsDuring, String stateAfter,
                        int exitKind, String exitReason) { }
