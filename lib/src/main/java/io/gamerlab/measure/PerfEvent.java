package io.gamerlab.measure;

/** The perf events gamerlab counts, with {@code type}/{@code config} from linux/perf_event.h. */
public enum PerfEvent {
    /** Nanoseconds the counted threads ran on a CPU. */
    TASK_CLOCK(Type.SOFTWARE, 1, "task_clock"),
    CONTEXT_SWITCHES(Type.SOFTWARE, 3, "context_switches"),
    CPU_MIGRATIONS(Type.SOFTWARE, 4, "cpu_migrations"),
    PAGE_FAULTS(Type.SOFTWARE, 2, "page_faults"),
    CYCLES(Type.HARDWARE, 0, "cycles"),
    INSTRUCTIONS(Type.HARDWARE, 1, "instructions"),
    CACHE_REFERENCES(Type.HARDWARE, 2, "cache_references"),
    CACHE_MISSES(Type.HARDWARE, 3, "cache_misses"),
    BRANCH_MISSES(Type.HARDWARE, 5, "branch_misses");

    /** {@code enum perf_type_id}. */
    private enum Type {
        HARDWARE(0), SOFTWARE(1);

        private final int id;

        Type(int id) {
            this.id = id;
        }
    }

    private final Type type;
    private final long config;
    private final String metricName;

    PerfEvent(Type type, long config, String metricName) {
        this.type = type;
        this.config = config;
        this.metricName = metricName;
    }

    /** {@code perf_event_attr.type}: PERF_TYPE_HARDWARE (0) or PERF_TYPE_SOFTWARE (1). */
    public int type() {
        return type.id;
    }

    /** {@code perf_event_attr.config}: PERF_COUNT_HW_* or PERF_COUNT_SW_*. */
    public long config() {
        return config;
    }

    /** The snake_case name results are stored under, e.g. "context_switches". */
    public String metricName() {
        return metricName;
    }

    /** "ns" for the task clock, "count" for the rest. */
    public String unit() {
        return this == TASK_CLOCK ? "ns" : "count";
    }

    /** Counted by the CPU's PMU, so absent in VMs and containers without counter access. */
    public boolean hardware() {
        return type == Type.HARDWARE;
    }
}
