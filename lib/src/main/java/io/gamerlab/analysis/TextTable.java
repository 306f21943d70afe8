package io.gamerlab.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.descriptive.Median;

/**
 * A table of numbers already written as a person reads them ({@link Digits}: units, sensible
 * digits), rendered as HTML (a notebook's {@code display("text/html", t.html())}) or as Markdown
 * (papers/). Its first column is left-aligned text, the others right-aligned numbers.
 */
public record TextTable(String title, List<String> header, List<List<String>> rows) {

    public TextTable {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : rows)
            if (row.size() != header.size())
                throw new IllegalArgumentException("table '" + title + "': a row has " + row.size() + " cells for " + header.size() + " columns: " + row);
    }

    /**
     * One row per labelled sample of repetitions: n, mean with its 95 % bootstrap interval, median,
     * sd, CV, and the ratio of its mean to the first sample's with that ratio's interval.
     */
    public static TextTable of(String title, String unit, Map<String, Sample> samples, Bootstrap bootstrap) {
        List<List<String>> rows = new ArrayList<>();
        Sample first = samples.values().iterator().next();
        String firstLabel = samples.keySet().iterator().next();
        for (Map.Entry<String, Sample> e : samples.entrySet()) {
            Sample s = e.getValue();
            String mean = s.n() < 2 ? Digits.value(s.mean(), unit) : Digits.withInterval(s.mean(), bootstrap.meanInterval(s, Effect.LEVEL), unit);
            String ratio = s == first ? "1x" : s.n() < 2 || first.n() < 2 ? Digits.value(s.mean() / first.mean(), "x")
                    : Digits.withInterval(s.mean() / first.mean(), bootstrap.interval(first, s, EffectKind.RATIO, Effect.LEVEL), "x");
            rows.add(List.of(e.getKey(), Integer.toString(s.n()), mean, Digits.value(Median.withDefaults().evaluate(s.values()), unit),
                    s.n() < 2 ? "n/a" : Digits.value(s.sd(), unit), Digits.percent(s.cv()), ratio));
        }
        return new TextTable(title, List.of("", "n", "mean [95 % CI]", "median", "sd", "CV", "mean / " + firstLabel + " [95 % CI]"), rows);
    }

    public String html() {
        StringBuilder out = new StringBuilder("<table>\n<caption style=\"text-align:left\"><b>").append(escape(title)).append("</b></caption>\n<tr>");
        for (String h : header) out.append("<th>").append(escape(h)).append("</th>");
        out.append("</tr>\n");
        for (List<String> row : rows) {
            out.append("<tr>");
            for (int i = 0; i < row.size(); i++)
                out.append(i == 0 ? "<td style=\"text-align:left\">" : "<td style=\"text-align:right\">").append(escape(row.get(i))).append("</td>");
            out.append("</tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    public String markdown() {
        StringBuilder out = new StringBuilder("**").append(title).append("**\n\n").append(row(header));
        out.append("|").append(":---|".repeat(1)).append("---:|".repeat(header.size() - 1)).append('\n');
        for (List<String> r : rows) out.append(row(r));
        return out.toString();
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|")).toList()) + " |\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
