package io.gamerlab.analysis;

import java.util.List;

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
