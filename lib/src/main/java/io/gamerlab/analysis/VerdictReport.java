package io.gamerlab.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Verdicts} as people read them: every number with its unit and sensible digits
 * ({@link Digits}). {@link #text} is the terminal table {@code ./gamerlab verdicts} prints, one
 * line per measure and then each one's claim, comparison and reasons; {@link #markdown} is the
 * same as one Markdown table, for papers and notes.
 */
public final class VerdictReport {

    private static final List<String> HEADER = List.of("measure", "measured [95 % CI]", "claimed", "n ctl/var",
            "control CV", "backend/clock", "run", "verdict");

    private VerdictReport() { }

    /** How the numbers were made, in one paragraph. */
    public static String method(Verdicts verdicts) {
        return "Effects of each variant against its control across independent repetitions (trials, forks or runs; "
                + "never events of one run), with 95 % intervals by the " + verdicts.bootstrap()
                + "; control CV = the control's own noise (sd/mean over its repetitions). Supported: the whole interval "
                + "at or beyond the claimed minimum; refuted: all of it below; inconclusive: both.";
    }

    public static String text(Verdicts verdicts) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Verdict v : verdicts.all()) rows.add(cells(v));
        int[] width = new int[HEADER.size()];
        for (List<String> row : rows)
            for (int i = 0; i < row.size(); i++) width[i] = Math.max(width[i], row.get(i).length());
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) line.append(String.format("%-" + width[i] + "s  ", row.get(i)));
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append('\n');
        for (Verdict v : verdicts.all()) {
            out.append(v.measure().id()).append(": ").append(v.claim().statement()).append('\n');
            out.append("    measured by ").append(source(v)).append('\n');
            if (!v.claim().interpretation().isEmpty()) out.append("    read as: ").append(v.claim().interpretation()).append('\n');
            out.append("    ").append(v.kind().label()).append(": ").append(v.why()).append('\n');
        }
        return out.append('\n').append(method(verdicts)).append('\n').toString();
    }

    public static String markdown(Verdicts verdicts) {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("claim"));
        header.addAll(HEADER);
        header.add("why");
        out.append(row(header)).append(row(header.stream().map(h -> "---").toList()));
        for (Verdict v : verdicts.all()) {
            List<String> cells = new ArrayList<>(List.of(v.claim().statement()));
            cells.addAll(cells(v));
            cells.set(1, v.measure().id() + " (" + source(v) + ")");
            cells.add(v.why());
            out.append(row(cells));
        }
        return out.append('\n').append(method(verdicts)).append('\n').toString();
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|")).toList()) + " |\n";
    }

    private static List<String> cells(Verdict v) {
        ClaimedEffect claimed = v.claim().effect();
        String measured = v.effect().map(e -> Digits.withInterval(e.estimate(), e.interval(), e.unit())).orElse("-");
        String n = v.effect().map(e -> e.control().n() + "/" + e.variant().n()).orElse("-");
        String cv = v.effect().map(e -> Digits.percent(e.control().cv())).orElse("-");
        String verdict = v.kind().label() + v.moreRepetitions().stream().mapToObj(k -> " (+" + k + " reps)").findFirst().orElse("");
        return List.of(v.measure().id(), measured, Digits.range(claimed.min(), claimed.max(), claimed.unit()), n, cv,
                v.backend() + "/" + v.clock(), v.series(), verdict);
    }

    private static String source(Verdict v) {
        Measure m = v.measure();
        return "datasets/" + m.dataset() + " " + m.metric() + (m.transform() == Transform.NONE ? "" : " as " + m.transform().key())
                + (m.multiplyBy().isEmpty() ? "" : " x " + m.multiplyBy())
                + ", " + m.comparison();
    }
}
