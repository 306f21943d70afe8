package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.HostDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The run's CSV, long format (one row per measured quantity, like io.gamerlab.measure.RunTable),
 * every row with its provenance and the trial's coordinates: {@link HostDataset}, with the
 * ring-buffer bench's coordinate columns. A producer-only trial's variant text ends with its burst
 * ({@code ...,burst=64}) and its consumer is {@code none}.
 */
final class RingbufDataset {
    static final List<String> COORDINATES = List.of("variant", "consumer", "producers", "notify", "repetition", "trial");
    static final List<String> COLUMNS = HostDataset.columns(COORDINATES);

    private RingbufDataset() {
    }

    /** A new dataset file holding the run's settings; trials are appended as they finish. */
    static HostDataset<TrialResult> create(Path out, HostDataset.RunInfo info, Map<String, String> settings) throws IOException {
        return HostDataset.create(out, info, COORDINATES, t -> List.of(t.config.variant(), t.config.consumer().label(),
                Integer.toString(t.config.producers()), t.config.notifyLabel(), Integer.toString(t.repetition), Integer.toString(t.order)), settings);
    }
}
