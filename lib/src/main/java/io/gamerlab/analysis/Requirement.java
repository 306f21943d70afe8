package io.gamerlab.analysis;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.gamerlab.experiment.HostBackend;
import io.gamerlab.measure.CounterReading;
import io.gamerlab.measure.PerfCounters;
import io.gamerlab.measure.PerfEvent;
import java.util.List;
import java.util.Optional;

/**
 * What measuring a claim takes of the machine. Checked on this machine when a claim's data is
 * absent, so "untestable here" says what this machine lacks, found rather than assumed.
 */
public enum Requirement {
    /** a kernel with sched_ext that this process may load a scheduler into */
    SCHED_EXT,
    /** hardware performance counters (cache misses, cycles) */
    PMU;

    /** Empty where this machine meets it; otherwise what it lacks. */
    public Optional<String> missingHere() {
        return switch (this) {
            case SCHED_EXT -> HostBackend.whyUnavailable();
            case PMU -> {
                try (PerfCounters counters = PerfCounters.forCallingThreadAndChildren(List.of(PerfEvent.CYCLES))) {
                    CounterReading cycles = counters.read().getFirst();
                    yield cycles.supported() ? Optional.empty()
                            : Optional.of("no hardware performance counters (perf cycles: " + cycles.unsupportedReason() + ")");
                }
            }
        };
    }

    public String key() {
        return LedgerKeys.key(this);
    }

    @JsonCreator
    public static Requirement byKey(String key) {
        return LedgerKeys.byKey(Requirement.class, key, "requirement");
    }
}
