package io.gamerlab.analysis;

import java.util.Arrays;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Variance;

/**
 * One side of a comparison: a metric's values over independent repetitions (one value per trial,
 * fork or run; never events of one run), with their mean and standard deviation.
 */
public record Sample(double[] values, double mean, double sd) {

    public Sample {
        values = values.clone();
    }

    public static Sample of(double... values) {
        if (values.length == 0) throw new IllegalArgumentException("a sample needs at least one value");
        for (double v : values)
            if (!Double.isFinite(v)) throw new IllegalArgumentException("a sample's values must be finite; got " + Arrays.toString(values));
        double sd = values.length < 2 ? Double.NaN : Math.sqrt(Variance.of(values).getAsDouble());  // n - 1 in the denominator
        return new Sample(values, Mean.of(values).getAsDouble(), sd);
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    public int n() {
        return values.length;
    }

    /** The coefficient of variation, sd / |mean|: the repetitions' own noise, relative. */
    public double cv() {
        return sd / Math.abs(mean);
    }
}
