package io.gamerlab.bench.ringbuf;

import java.util.List;

/**
 * One point of the first-event latency bench: the trigger's batch size (ringbuf shared, prefetch
 * off: one producer, so the layout does not matter) and how events arrive.
 *
 * @param eventsPerCall events each getpgid emits (input_trigger_burst's burst)
 * @param gapNs         time between two calls' starts; 0 = back to back
 */
record LatencyConfig(int batch, Arrival arrival, int eventsPerCall, long gapNs) {

    /** How events arrive at the event path. */
    enum Arrival {
        /** A burst of events per call, calls far apart: a burst fills whole batches, no flush timer. */
        BURST,
        /** One event per call, calls further apart than the flush interval: each partial batch leaves with the flush timer. */
        TIMER,
        /** One event per call, calls back to back: a batch fills with consecutive calls. */
        STREAM;

        String label() {
            return name().toLowerCase();
        }
    }

    LatencyConfig {
        if (eventsPerCall < 1 || eventsPerCall > Producers.MAX_BURST) throw new IllegalArgumentException("events per call " + eventsPerCall);
        if (gapNs < 0 || (arrival == Arrival.STREAM) != (gapNs == 0)) throw new IllegalArgumentException(arrival + " with a gap of " + gapNs + " ns");
    }

    String variant() {
        return Config.build("shared", batch, false);
    }

    List<String> flags() {
        return Config.flags("shared", batch, false);
    }

    @Override
    public String toString() {
        return variant() + " arrival=" + arrival.label() + " events/call=" + eventsPerCall + " gap=" + gapNs + "ns";
    }
}
