package io.gamerlab.workload;

import io.gamerlab.sched.Role;
import io.gamerlab.sched.RoleRegistry;
import io.gamerlab.util.CacheSizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Background threads streaming over buffers larger than the last-level cache, so whatever runs
 * beside them (compose it: {@code pipeline+pressure}, {@code wakestorm+pressure}) finds its data
 * and the scheduler's evicted again and again. Each thread (declared {@code NONE}: background work,
 * never the game's) reads and writes every 64-byte line of its own buffer of {@code llc_multiple}
 * times this machine's last-level cache, pass after pass. Its metrics are prefixed
 * {@code pressure_}: threads, buffer and LLC size, whole passes, bytes streamed (the last, partial
 * pass included) and the rate.
 */
public final class CachePressureWorkload implements Workload {

    public static final Parameter<Integer> THREADS = Parameter.threads("threads",
            "streaming threads, each with a buffer of its own; cpus: one per CPU", 1, 1, 64);
    public static final Parameter<Integer> LLC_MULTIPLE = Parameter.count("llc_multiple",
            "each buffer's size in multiples of the last-level cache", 4, 2, 64);

    public static final WorkloadKind KIND = new WorkloadKind("pressure",
            "background threads streaming over buffers larger than the last-level cache; compose it with another workload",
            List.of(THREADS, LLC_MULTIPLE), s -> { }, CachePressureWorkload::new);

    private final Settings settings;

    private CachePressureWorkload(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return settings.text();
    }

    @Override
    public WorkloadReport run(Duration duration, RoleRegistry roles) throws InterruptedException {
        int threads = Parameter.resolveThreads(settings.get(THREADS));
        List<StreamBuffer> buffers = new ArrayList<>();
        long[] streamed = new long[threads];
        long[] passes = new long[threads];
        try {
            for (int i = 0; i < threads; i++) buffers.add(StreamBuffer.llcMultiple(settings.get(LLC_MULTIPLE)));
            Crew crew = new Crew(roles);
            for (int i = 0; i < threads; i++) {
                int index = i;
                crew.add("pressure-" + i, Role.NONE, () -> {
                    StreamBuffer buffer = buffers.get(index);
                    while (!crew.stopping()) {
                        long bytes = buffer.pass(crew::stopping);
                        streamed[index] += bytes;
                        if (bytes == buffer.bytes()) passes[index]++;
                    }
                });
            }
            crew.run(duration, () -> { });
        } finally {
            buffers.forEach(StreamBuffer::close);
        }
        long bytes = 0;
        long allPasses = 0;
        for (int i = 0; i < threads; i++) {
            bytes += streamed[i];
            allPasses += passes[i];
        }
        return new WorkloadReport.Builder()
                .count("pressure_threads", threads)
                .value("pressure_buffer_bytes", "bytes", buffers.isEmpty() ? 0 : buffers.getFirst().bytes())
                .value("pressure_llc_bytes", "bytes", CacheSizes.ofThisHost().llc())
                .count("pressure_passes", allPasses)
                .value("pressure_bytes", "bytes", bytes)
                .value("pressure_rate", "MB/s", bytes / 1e6 / (duration.toNanos() / 1e9))
                .build();
    }
}
