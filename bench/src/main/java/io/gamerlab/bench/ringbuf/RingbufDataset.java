package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.BenchRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the ring-buffer bench names its trials in its dataset ({@link BenchRun}): the variant text
 * (a producer-only trial's ends with its burst, {@code ...,burst=64}; the kernel's own bench is
 * {@code bench_ringbufs=...}), and as parameters the consumer ({@code none} for producer-only
 * trials and baselines), the producers and the notification setting; the trigger build's object.
 */
record RingbufDataset(Map<List<String>, Path> objects) implements BenchRun.Naming<Config> {
    static final String BENCH = "ringbuf";

    @Override
    public String variant(Config c) {
        return c.variant();
    }

    @Override
    public Map<String, String> params(Config c) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("consumer", c.consumer().label());
        p.put("producers", Integer.toString(c.producers()));
        p.put("notify", c.notifyLabel());
        return p;
    }

    @Override
    public Path object(Config c) {
        return c.kernel() ? null : objects.get(c.flags());
    }
}
