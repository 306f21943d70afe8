package io.gamerlab.analysis;

/** A confidence interval {@code [low, high]} at a confidence {@code level} (0.95 for 95 %). */
public record Interval(double low, double high, double level) {

    public Interval {
        if (!(low <= high)) throw new IllegalArgumentException("interval low " + low + " is above high " + high);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("confidence level must be in (0, 1); was " + level);
    }

    public double width() {
        return high - low;
    }
}
