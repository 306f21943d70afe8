package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.HostDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The run's CSV, long format (one row per measured quantity, like io.gamerlab.measure.RunTable),
 * every row with its provenance and the trial's coordinates: {@link HostDataset}, with the
 * ring-buffer bench's coordinate columns.
 */
final class RingbufDataset {
    static final List<String> COORDINATES = List.of("variant", "consumer", "producers", "notify", "repetition", "trial");
    static final List<String> COLUMNS = HostDataset.columns(COORDINATES);

    private RingbufDataset() {
    }

    /** Writes every trial's metrics, then the run's own settings (source {@code run}). */
    static void write(Path out, HostDataset.RunInfo info, List<TrialResult> trials, Map<String, String> settings) throws IOException {
        HostDataset.write(out, info, COORDINATES, trials, t -> List.of(t.config.variant(), t.config.consumer().label(),
                Integer.toString(t.config.producers()), t.config.notifyLabel(), Integer.toString(t.repetition), Integer.toString(t.order)), settings);
    }
}
