/**
 * Analysis: charts, and verdicts on the seed analysis's claims.
 *
 * <p>The verdict path: {@link io.gamerlab.analysis.Ledger} reads {@code claims/ledger.yaml} (each
 * {@link io.gamerlab.analysis.Claim} with its {@link io.gamerlab.analysis.Measure}s);
 * {@link io.gamerlab.analysis.Observations} reads a dataset directory as independent repetitions;
 * {@link io.gamerlab.analysis.Effect} is a variant's effect against its control with a
 * {@link io.gamerlab.analysis.Bootstrap} interval; {@link io.gamerlab.analysis.Judge} turns it
 * into a {@link io.gamerlab.analysis.Verdict}; {@link io.gamerlab.analysis.Verdicts} does it for a
 * whole ledger and {@link io.gamerlab.analysis.VerdictReport} prints it.
 *
 * <p>The presentation path: {@link io.gamerlab.analysis.Hypothesis} names each hypothesis's claims
 * and method; {@link io.gamerlab.analysis.Chapter} computes, from the ledger and the datasets, what
 * its notebook shows and its paper writes ({@link io.gamerlab.analysis.TextTable}s with units and
 * intervals, {@link io.gamerlab.analysis.Figures}, verdicts); {@link io.gamerlab.analysis.Paper}
 * writes papers/. {@link io.gamerlab.analysis.Interleaved} repeats a small live experiment, as the
 * teaching notebook does.
 *
 * <p><b>Statistics library: Apache Commons Statistics</b> (1.1: {@code descriptive} for mean,
 * variance and quantiles, {@code distribution} for the normal and Student's t quantiles). Why: it
 * is the maintained home of the statistics that Commons Math 3 had (Commons Math 3.6.1, from 2016,
 * is no longer developed; Tablesaw still brings it onto the class path, and nothing here calls
 * it), and its modules are small, with no dependencies beyond Commons Numbers and RNG. The
 * bootstrap itself is a few lines ({@link io.gamerlab.analysis.Bootstrap}, which says which interval and why).
 */
package io.gamerlab.analysis;
