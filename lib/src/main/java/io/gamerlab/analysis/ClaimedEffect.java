package io.gamerlab.analysis;

/**
 * The effect a claim states: its kind, unit and range, positive in the claim's direction (a
 * saving of 20-50 ns is min 20, max 50; "3-7x fewer" is a ratio or speedup of min 3, max 7).
 */
public record ClaimedEffect(EffectKind kind, String unit, double min, double max) {

    public ClaimedEffect {
        Ledger.require(kind, "effect.kind");
        Ledger.require(unit, "effect.unit");
        if (!(min <= max)) throw new IllegalArgumentException("effect.min " + min + " is above effect.max " + max);
        if (!(min > kind.neutral()))
            throw new IllegalArgumentException("effect.min " + min + " must be beyond no effect (" + kind.neutral() + " for a "
                    + kind.key() + "): a claim is stated in its own direction");
    }
}
