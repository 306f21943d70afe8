package io.gamerlab.measure;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One counter's value over a measurement, or why the kernel would not count it.
 *
 * @param event             what was counted
 * @param value             the raw count; empty exactly when the event is unsupported
 * @param unsupportedReason errno name and explanation when unsupported; null when supported
 * @param timeEnabledNs     how long the counter was enabled
 * @param timeRunningNs     how long it was actually on the PMU; less than enabled when multiplexed
 */
public record CounterReading(PerfEvent event, OptionalLong value, String unsupportedReason,
        long timeEnabledNs, long timeRunningNs) {

    public CounterReading {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(value, "value");
        if (value.isPresent() == (unsupportedReason != null)) {
            throw new IllegalArgumentException("a reading has either a value or an unsupported reason, not "
                    + (value.isPresent() ? "both" : "neither") + ": " + event);
        }
    }

    static CounterReading counted(PerfEvent event, long value, long timeEnabledNs, long timeRunningNs) {
        return new CounterReading(event, OptionalLong.of(value), null, timeEnabledNs, timeRunningNs);
    }

    static CounterReading unsupported(PerfEvent event, String reason) {
        return new CounterReading(event, OptionalLong.empty(), reason, 0, 0);
    }

    public boolean supported() {
        return value.isPresent();
    }

    /** The counter shared the PMU with others and ran only part of the time it was enabled. */
    public boolean multiplexed() {
        return supported() && timeRunningNs < timeEnabledNs;
    }

    /**
     * The count extrapolated to the whole enabled time ({@code value * enabled / running}, as
     * perf stat does); the value itself when not multiplexed. NaN when unsupported, or when the
     * counter never ran, since nothing can be extrapolated from no sample.
     */
    public double scaledValue() {
        if (!supported() || timeRunningNs == 0) {
            return Double.NaN;
        }
        if (timeRunningNs == timeEnabledNs) {
            return value.getAsLong();
        }
        return (double) value.getAsLong() * timeEnabledNs / timeRunningNs;
    }
}
