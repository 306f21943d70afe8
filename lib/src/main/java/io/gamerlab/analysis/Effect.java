package io.gamerlab.analysis;

/**
 * The effect of a variant against its control across independent repetitions: the effect of the
 * two means ({@link EffectKind}), its bootstrap confidence interval, and both samples, so n and
 * the control's own noise ({@link Sample#cv()}) travel with it.
 */
public record Effect(EffectKind kind, String unit, double estimate, Interval interval, Sample control, Sample variant) {

    /** The 95 % level every verdict uses. */
    public static final double LEVEL = 0.95;

    /** Measures {@code kind}'s effect of {@code variant} against {@code control}, with a {@link #LEVEL} interval. */
    public static Effect measure(Sample control, Sample variant, EffectKind kind, String metricUnit, Bootstrap bootstrap) {
        return new Effect(kind, kind.unit(metricUnit), kind.of(control.mean(), variant.mean()),
                bootstrap.interval(control, variant, kind, LEVEL), control, variant);
    }
}
