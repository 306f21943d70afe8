package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.TrialMetrics;

/** What one trial (one config, one repetition) measured and checked: named metrics, long format. */
final class TrialResult extends TrialMetrics<Config> {

    TrialResult(Config config, int repetition, int order) {
        super(config, repetition, order);
    }
}
