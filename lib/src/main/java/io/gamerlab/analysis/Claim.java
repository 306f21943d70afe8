package io.gamerlab.analysis;

import java.util.List;

/**
 * One quantitative claim of the seed analysis: what it says ({@code statement}, quoted from
 * {@code seed}), the effect it states, how prose was made a number where it had to be
 * ({@code interpretation}, may be empty), and the measures that test it.
 */
public record Claim(String id, Integer proposal, String statement, String seed, ClaimedEffect effect,
                    String interpretation, List<Measure> measures) {

    public Claim {
        Ledger.require(id, "claim id");
        Ledger.require(proposal, "proposal");
        Ledger.require(statement, "statement");
        Ledger.require(seed, "seed");
        Ledger.require(effect, "effect");
        Ledger.require(measures, "measures");
        interpretation = interpretation == null ? "" : interpretation;
        measures = List.copyOf(measures);
        if (proposal < 0 || proposal > 5)
            throw new IllegalArgumentException("proposal must be the seed's proposal number 1-5, or 0 for a combined claim; was " + proposal);
        if (measures.isEmpty()) throw new IllegalArgumentException("claim " + id + " has no measures");
        for (Measure m : measures)
            if (!m.id().startsWith(id + "."))
                throw new IllegalArgumentException("measure " + m.id() + " of claim " + id + " must be named " + id + ".<something>");
    }
}
