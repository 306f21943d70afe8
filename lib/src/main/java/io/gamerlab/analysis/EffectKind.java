package io.gamerlab.analysis;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * How a variant's effect is expressed against its control, from the two means. Every kind is
 * oriented so that a positive (or, for ratios, above 1) value is what a claim of that kind
 * states; {@link #neutral()} is "no effect".
 */
public enum EffectKind {
    /** control - variant, in the metric's unit: the variant is cheaper by this much. */
    SAVING(0, false),
    /** variant - control, in the metric's unit: the variant costs this much more. */
    INCREASE(0, false),
    /** variant / control. */
    RATIO(1, true),
    /** control / variant: how many times cheaper (or faster, for a time) the variant is. */
    SPEEDUP(1, true),
    /** 100 (control - variant) / control, in %. */
    RELATIVE_SAVING(0, true);

    private final double neutral;
    private final boolean multiplicative;

    EffectKind(double neutral, boolean multiplicative) {
        this.neutral = neutral;
        this.multiplicative = multiplicative;
    }

    /** The effect of a variant whose mean is {@code variant} against a control whose mean is {@code control}. */
    public double of(double control, double variant) {
        return switch (this) {
            case SAVING -> control - variant;
            case INCREASE -> variant - control;
            case RATIO -> variant / control;
            case SPEEDUP -> control / variant;
            case RELATIVE_SAVING -> 100 * (control - variant) / control;
        };
    }

    /** The value of no effect at all. */
    public double neutral() {
        return neutral;
    }

    /**
     * Whether the effect is a ratio of the means (then its noise is the means' relative noise, and
     * {@link #logRatio} puts it on the scale where that noise adds up).
     */
    public boolean multiplicative() {
        return multiplicative;
    }

    /** ln(variant mean / control mean) for an effect of this (multiplicative) kind. */
    public double logRatio(double effect) {
        return switch (this) {
            case RATIO -> Math.log(effect);
            case SPEEDUP -> -Math.log(effect);
            case RELATIVE_SAVING -> Math.log(1 - effect / 100);
            default -> throw new IllegalStateException(this + " is not a ratio of means");
        };
    }

    /** The unit the effect is in, given the metric's unit. */
    public String unit(String metricUnit) {
        return switch (this) {
            case SAVING, INCREASE -> metricUnit;
            case RATIO, SPEEDUP -> "x";
            case RELATIVE_SAVING -> "%";
        };
    }

    /** The name the ledger uses: saving, increase, ratio, speedup, relative_saving. */
    public String key() {
        return LedgerKeys.key(this);
    }

    @JsonCreator
    public static EffectKind byKey(String key) {
        return LedgerKeys.byKey(EffectKind.class, key, "effect kind");
    }
}
