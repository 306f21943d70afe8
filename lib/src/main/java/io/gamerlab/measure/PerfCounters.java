package io.gamerlab.measure;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One perf counter per event for the calling thread and every thread it starts afterwards
 * (perf's {@code inherit}): open this on the thread that will start the workload.
 *
 * <p>Each event has its own fd rather than one group, because the kernel does not let inherited
 * counters be read as a group; {@link #start()} and {@link #stop()} therefore switch them one after
 * another, a few microseconds apart. Not thread-safe.
 */
public final class PerfCounters implements AutoCloseable {
    private static final int THIS_THREAD = 0;
    private static final int ANY_CPU = -1;
    private static final int NO_GROUP = -1;
    private static final long PERF_FLAG_FD_CLOEXEC = 1L << 3; // keep the fds out of child processes
    private static final long PERF_EVENT_IOC_ENABLE = 0x2400;  // _IO('$', 0)
    private static final long PERF_EVENT_IOC_DISABLE = 0x2401; // _IO('$', 1)
    private static final long PERF_EVENT_IOC_RESET = 0x2403;   // _IO('$', 3)
    private static final int NOT_OPEN = -1;

    /** An event's fd, or NOT_OPEN with the reason the kernel refused it. */
    private record Counter(PerfEvent event, int fd, String unsupportedReason) {
        boolean open() {
            return fd != NOT_OPEN;
        }
    }

    private final List<Counter> counters;
    private boolean closed;

    private PerfCounters(List<Counter> counters) {
        this.counters = counters;
    }

    /**
     * Opens a disabled counter per event (duplicates ignored). An event the kernel refuses is kept
     * as unsupported, with the reason, rather than failing the whole set.
     */
    public static PerfCounters forCallingThreadAndChildren(Collection<PerfEvent> events) {
        List<Counter> counters = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (PerfEvent event : new LinkedHashSet<>(events)) {
                int result = Libc.perfEventOpen(PerfEventAttr.forCounting(event, arena),
                        THIS_THREAD, ANY_CPU, NO_GROUP, PERF_FLAG_FD_CLOEXEC);
                counters.add(result >= 0 ? new Counter(event, result, null)
                        : new Counter(event, NOT_OPEN, unsupportedReason(event, -result)));
            }
        }
        return new PerfCounters(List.copyOf(counters));
    }

    /** Zeroes and enables every supported counter. */
    public void start() {
        control(PERF_EVENT_IOC_RESET, "PERF_EVENT_IOC_RESET");
        control(PERF_EVENT_IOC_ENABLE, "PERF_EVENT_IOC_ENABLE");
    }

    /** Disables every supported counter; their values stay readable. */
    public void stop() {
        control(PERF_EVENT_IOC_DISABLE, "PERF_EVENT_IOC_DISABLE");
    }

    /** One reading per event, in the order the events were given. */
    public List<CounterReading> read() {
        requireOpen();
        List<CounterReading> readings = new ArrayList<>(counters.size());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(PerfEventAttr.READING_BYTES, Long.BYTES);
            for (Counter counter : counters) {
                readings.add(counter.open() ? read(counter, buffer) : CounterReading.unsupported(counter.event(), counter.unsupportedReason()));
            }
        }
        return List.copyOf(readings);
    }

    /** Closes every counter's fd; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Counter counter : counters) {
            if (counter.open()) {
                Libc.close(counter.fd());
            }
        }
    }

    private static CounterReading read(Counter counter, MemorySegment buffer) {
        long bytes = Libc.read(counter.fd(), buffer);
        if (bytes != PerfEventAttr.READING_BYTES) {
            throw new IllegalStateException("reading perf counter " + counter.event().metricName() + " gave "
                    + (bytes < 0 ? Libc.describeErrno((int) -bytes) : bytes + " bytes instead of " + PerfEventAttr.READING_BYTES));
        }
        return CounterReading.counted(counter.event(),
                buffer.get(JAVA_LONG, 0), buffer.get(JAVA_LONG, Long.BYTES), buffer.get(JAVA_LONG, 2L * Long.BYTES));
    }

    private void control(long request, String requestName) {
        requireOpen();
        for (Counter counter : counters) {
            if (!counter.open()) {
                continue;
            }
            int result = Libc.ioctl(counter.fd(), request, 0);
            if (result < 0) {
                throw new IllegalStateException(requestName + " on perf counter " + counter.event().metricName()
                        + " failed: " + Libc.describeErrno(-result));
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("perf counters are closed; open new ones with PerfCounters.forCallingThreadAndChildren");
        }
    }

    /** The errno, and what it usually means for perf_event_open, so a reader knows what to change. */
    private static String unsupportedReason(PerfEvent event, int errno) {
        String meaning = switch (errno) {
            case 2 /* ENOENT */ -> event.hardware()
                    ? "no PMU provides this hardware event (typical of VMs without perf counter passthrough)"
                    : "the kernel does not know this event";
            case 19 /* ENODEV */ -> "no PMU for this event on this CPU";
            case 95 /* EOPNOTSUPP */ -> "the PMU cannot count this event with these settings (e.g. inherit)";
            case 22 /* EINVAL */ -> "the kernel rejected the event's perf_event_attr";
            case 1 /* EPERM */, 13 /* EACCES */ ->
                    "not permitted: run as root, grant CAP_PERFMON, or lower /proc/sys/kernel/perf_event_paranoid";
            case 24 /* EMFILE */ -> "out of file descriptors: raise ulimit -n";
            default -> "perf_event_open failed";
        };
        return Libc.describeErrno(errno) + ": " + meaning;
    }
}
