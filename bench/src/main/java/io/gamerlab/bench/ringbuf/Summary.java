package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.TrialSummary;
import java.util.List;

/** The trials of one run grouped by config: means (and spread) over repetitions. */
final class Summary extends TrialSummary<Config> {

    Summary(List<TrialResult> trials) {
        super(trials);
    }
}
