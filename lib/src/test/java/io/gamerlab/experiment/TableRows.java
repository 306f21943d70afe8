package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import tech.tablesaw.api.Table;

/** The one row of a run table (or of one subject's rows, by its variant column) with a source and metric. */
final class TableRows {

    private TableRows() { }

    static double value(Table table, String source, String metric) {
        return row(table, null, source, metric).doubleColumn("value").get(0);
    }

    static String note(Table table, String source, String metric) {
        return row(table, null, source, metric).stringColumn("note").get(0);
    }

    /** A value of the rows whose variant column is {@code subject} (a stress plan's subject label). */
    static double value(Table table, String subject, String source, String metric) {
        return row(table, subject, source, metric).doubleColumn("value").get(0);
    }

    static String note(Table table, String subject, String source, String metric) {
        return row(table, subject, source, metric).stringColumn("note").get(0);
    }

    private static Table row(Table table, String subject, String source, String metric) {
        var where = table.stringColumn("source").isEqualTo(source).and(table.stringColumn("metric").isEqualTo(metric));
        if (subject != null) where = where.and(table.stringColumn("variant").isEqualTo(subject));
        Table row = table.where(where);
        assertEquals(1, row.rowCount(), (subject == null ? "" : subject + " ") + source + "/" + metric + " rows");
        return row;
    }
}
