package io.gamerlab.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Every measure of a {@link Ledger} judged against whatever datasets are present: the library
 * behind {@code ./gamerlab verdicts}, and what a notebook or paper calls, e.g.
 * <pre>{@code
 * Verdicts v = Verdicts.evaluate(Ledger.load(root.resolve(Ledger.DEFAULT)), root.resolve("datasets"));
 * display(v.table());                       // one row per measure, numbers as numbers
 * System.out.println(v.of("contention.bpf").why());
 * }</pre>
 * A measure is judged on the newest series (run) of its dataset that has both sides on a clock
 * the measure accepts, and its reasons name the older runs that answer otherwise; or on each such
 * series with {@code everySeries}.
 */
public final class Verdicts {

    private final List<Verdict> verdicts;
    private final Bootstrap bootstrap;

    private Verdicts(List<Verdict> verdicts, Bootstrap bootstrap) {
        this.verdicts = List.copyOf(verdicts);
        this.bootstrap = bootstrap;
    }

    /** With the {@link Bootstrap#standard() standard bootstrap}, on the newest series of each dataset. */
    public static Verdicts evaluate(Ledger ledger, Path datasets) {
        return evaluate(ledger, datasets, Bootstrap.standard(), false);
    }

    public static Verdicts evaluate(Ledger ledger, Path datasets, Bootstrap bootstrap, boolean everySeries) {
        return evaluate(ledger, datasets, bootstrap, everySeries, true);
    }

    /**
     * As above; {@code checkMachine} false leaves out of "untestable here" what this machine lacks
     * (a measure's {@code requires}), so the verdicts read the same on every machine: what papers/ needs.
     */
    public static Verdicts evaluate(Ledger ledger, Path datasets, Bootstrap bootstrap, boolean everySeries, boolean checkMachine) {
        Map<String, Observations> loaded = new HashMap<>();
        List<Verdict> out = new ArrayList<>();
        for (Claim claim : ledger.claims()) {
            for (Measure m : claim.measures()) {
                Path dir = datasets.resolve(m.dataset());
                if (!Observations.present(dir)) {
                    out.add(Verdict.untestable(claim, m, "no dataset in datasets/" + m.dataset() + " here; " + m.whatItTakes(checkMachine), "-", "-"));
                    continue;
                }
                Observations data = loaded.computeIfAbsent(m.dataset(), d -> Observations.load(dir));
                out.addAll(judge(claim, m, data, bootstrap, everySeries, checkMachine));
            }
        }
        return new Verdicts(out, bootstrap);
    }

    private static List<Verdict> judge(Claim claim, Measure m, Observations data, Bootstrap bootstrap, boolean everySeries,
                                       boolean checkMachine) {
        Evidence.Search search = data.evidence(m);
        if (search.absence().isPresent())
            return List.of(Verdict.untestable(claim, m, search.absence().get() + "; " + m.whatItTakes(checkMachine),
                    distinct(data, "backend"), distinct(data, "clock")));
        List<Evidence> usable = search.series().stream().filter(e -> m.clocks().contains(e.clock())).toList();
        if (usable.isEmpty()) {
            Evidence newest = search.series().getFirst();
            return List.of(Verdict.untestable(claim, m, "datasets/" + data.name() + " measures it only on the "
                    + new TreeSet<>(search.series().stream().map(Evidence::clock).toList())
                    + " clock, whose timings cannot decide it (it takes " + String.join(" or ", m.clocks()) + "); " + m.whatItTakes(checkMachine),
                    newest.backend(), newest.clock()));
        }
        List<Verdict> all = usable.stream().map(e -> Judge.judge(claim, m, e, bootstrap)).toList();
        if (everySeries) return all;
        // The newest run decides; an older run (often another build) that answers otherwise is said beside it.
        Verdict newest = all.getFirst();
        List<String> otherwise = all.subList(1, all.size()).stream().filter(o -> o.kind() != newest.kind())
                .map(o -> o.series() + " " + o.kind().label() + o.effect().map(e -> " (" + Digits.value(e.estimate(), e.unit()) + ")").orElse(""))
                .toList();
        if (otherwise.isEmpty()) return List.of(newest);
        return List.of(new Verdict(newest.claim(), newest.measure(), newest.kind(),
                newest.why() + "; older runs answer otherwise: " + String.join(", ", otherwise) + " (--every-run shows them)",
                newest.effect(), newest.moreRepetitions(), newest.series(), newest.backend(), newest.clock()));
    }

    private static String distinct(Observations data, String column) {
        return String.join("+", new TreeSet<>(data.rows().stringColumn(column).asSet()));
    }

    public List<Verdict> all() {
        return verdicts;
    }

    public Bootstrap bootstrap() {
        return bootstrap;
    }

    /** The (first) verdict of one measure, by its id. */
    public Verdict of(String measureId) {
        return verdicts.stream().filter(v -> v.measure().id().equals(measureId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no measure '" + measureId + "'; the measures are "
                        + verdicts.stream().map(v -> v.measure().id()).distinct().toList()));
    }

    /**
     * One row per verdict, numbers as numbers (missing where untestable): claim, proposal, measure,
     * statement, dataset, metric, comparison, claimed_min, claimed_max, unit, estimate, ci_low,
     * ci_high, n_control, n_variant, control_mean, variant_mean, control_cv, series, backend, clock,
     * verdict, more_repetitions, why.
     */
    public Table table() {
        StringColumn claim = StringColumn.create("claim"), measure = StringColumn.create("measure"),
                statement = StringColumn.create("statement"), dataset = StringColumn.create("dataset"),
                metric = StringColumn.create("metric"), comparison = StringColumn.create("comparison"),
                unit = StringColumn.create("unit"), series = StringColumn.create("series"), backend = StringColumn.create("backend"),
                clock = StringColumn.create("clock"), verdict = StringColumn.create("verdict"), why = StringColumn.create("why");
        IntColumn proposal = IntColumn.create("proposal"), nControl = IntColumn.create("n_control"),
                nVariant = IntColumn.create("n_variant"), more = IntColumn.create("more_repetitions");
        DoubleColumn min = DoubleColumn.create("claimed_min"), max = DoubleColumn.create("claimed_max"),
                estimate = DoubleColumn.create("estimate"), low = DoubleColumn.create("ci_low"), high = DoubleColumn.create("ci_high"),
                controlMean = DoubleColumn.create("control_mean"), variantMean = DoubleColumn.create("variant_mean"),
                controlCv = DoubleColumn.create("control_cv");
        for (Verdict v : verdicts) {
            claim.append(v.claim().id());
            proposal.append(v.claim().proposal());
            measure.append(v.measure().id());
            statement.append(v.claim().statement());
            dataset.append(v.measure().dataset());
            metric.append(v.measure().metric());
            comparison.append(v.measure().comparison());
            min.append(v.claim().effect().min());
            max.append(v.claim().effect().max());
            unit.append(v.claim().effect().unit());
            if (v.effect().isPresent()) {
                Effect e = v.effect().get();
                estimate.append(e.estimate());
                low.append(e.interval().low());
                high.append(e.interval().high());
                nControl.append(e.control().n());
                nVariant.append(e.variant().n());
                controlMean.append(e.control().mean());
                variantMean.append(e.variant().mean());
                controlCv.append(e.control().cv());
            } else {
                for (DoubleColumn c : List.of(estimate, low, high, controlMean, variantMean, controlCv)) c.appendMissing();
                nControl.appendMissing();
                nVariant.appendMissing();
            }
            series.append(v.series());
            backend.append(v.backend());
            clock.append(v.clock());
            verdict.append(v.kind().label());
            if (v.moreRepetitions().isPresent()) more.append(v.moreRepetitions().getAsInt());
            else more.appendMissing();
            why.append(v.why());
        }
        return Table.create("verdicts", claim, proposal, measure, statement, dataset, metric, comparison, min, max, unit,
                estimate, low, high, nControl, nVariant, controlMean, variantMean, controlCv, series, backend, clock, verdict, more, why);
    }
}
