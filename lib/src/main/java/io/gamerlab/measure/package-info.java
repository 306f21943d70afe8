/**
 * Counts what the kernel's perf events see of this process (task clock, context switches,
 * page faults, and CPU hardware counters where a PMU exists), called through the Foreign
 * Function and Memory API.
 *
 * <p>An event the kernel or PMU refuses is reported as unsupported, with the errno and a reason,
 * never as a zero: in a VM without counter passthrough "0 cache misses" would be a lie.
 * Entry point: {@link io.gamerlab.measure.PerfCounters#forCallingThreadAndChildren(java.util.Collection)}.
 */
package io.gamerlab.measure;
