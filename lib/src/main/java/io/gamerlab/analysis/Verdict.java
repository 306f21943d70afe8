package io.gamerlab.analysis;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The answer the data give to one {@link Measure} of one {@link Claim}: its {@link Kind}, why (in
 * words, from the numbers), the measured {@link Effect} (absent when untestable here), how many
 * more repetitions per side would decide an inconclusive one, and where the data came from
 * (series, backend, clock; "-" when there is no data).
 */
public record Verdict(Claim claim, Measure measure, Kind kind, String why, Optional<Effect> effect,
                      OptionalInt moreRepetitions, String series, String backend, String clock) {

    /** The four answers a claim can get. */
    public enum Kind {
        /** the whole interval is at or beyond the claimed effect, in its direction */
        SUPPORTED("supported"),
        /** the whole interval is short of the claimed effect, or of the opposite sign */
        REFUTED("refuted"),
        /** the interval reaches both sides of the claimed effect's minimum */
        INCONCLUSIVE("inconclusive"),
        /** no data here can measure it: absent, or only from a clock whose timings say nothing */
        UNTESTABLE("untestable here");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A verdict without data. */
    static Verdict untestable(Claim claim, Measure measure, String why, String backend, String clock) {
        return new Verdict(claim, measure, Kind.UNTESTABLE, why, Optional.empty(), OptionalInt.empty(), "-", backend, clock);
    }
}
