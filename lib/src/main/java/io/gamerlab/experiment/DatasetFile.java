package io.gamerlab.experiment;

import io.gamerlab.measure.Column;
import io.gamerlab.measure.RunTable;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import tech.tablesaw.api.Table;

/**
 * One file of a dataset as bytes and back: RFC 4180 CSV in UTF-8 with a header row, the columns of
 * {@link Column} in order, numbers in plain decimal (a whole number without a fraction), an empty
 * cell where there is no value. The last row closes the file: source {@value #CLOSING_SOURCE},
 * metric {@value #CLOSING_METRIC}, value the number of rows before it, so a file cut short
 * anywhere is told from a complete one. Reading checks the header, every cell and the closing
 * row, so a file of another schema, a truncated or edited one is refused with its line and
 * column, never half read; the closing row is not part of the table read.
 */
public final class DatasetFile {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();
    static final String CLOSING_SOURCE = "dataset";
    static final String CLOSING_METRIC = "rows";

    private DatasetFile() { }

    /** The table's rows as a CSV file's bytes; the table must have the schema's columns. */
    public static byte[] encode(Table table) {
        if (!table.columnNames().equals(Column.NAMES))
            throw new IllegalArgumentException("a dataset table has the columns " + Column.NAMES + ", not " + table.columnNames());
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
            printer.printRecord(Column.NAMES);
            List<String> cells = new ArrayList<>(Column.NAMES.size());
            for (int row = 0; row < table.rowCount(); row++) {
                cells.clear();
                for (int c = 0; c < table.columnCount(); c++) cells.add(cell(table, row, c));
                printer.printRecord(cells);
            }
            if (table.rowCount() == 0) throw new IllegalArgumentException("a dataset file holds at least one row");
            cells.clear();
            for (int c = 0; c < table.columnCount(); c++) cells.add(cell(table, 0, c));  // the first row's provenance
            int at = Column.SOURCE.ordinal();
            List<String> closing = List.of(CLOSING_SOURCE, CLOSING_METRIC, "count", Integer.toString(table.rowCount()), Column.Status.OK, "");
            for (int i = 0; i < closing.size(); i++) cells.set(at + i, closing.get(i));
            printer.printRecord(cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a StringBuilder does not fail
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String cell(Table table, int row, int column) {
        var col = table.column(column);
        if (col.isMissing(row)) return "";
        Object v = col.get(row);
        if (v instanceof Double d) return number(d);
        return v.toString();
    }

    /** A whole number without a fraction, others as Java's shortest exact decimal, NaN as empty. */
    public static String number(double v) {
        if (Double.isNaN(v)) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    /** Reads and checks a dataset file; an error names the file, line, column, value and what is allowed. */
    public static Table read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** {@link #read} on bytes; {@code where} names them in errors. */
    public static Table parse(byte[] bytes, String where) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("file", where, "is not UTF-8 text (" + e.getMessage() + ")",
                    "a UTF-8 CSV file written by gamerlab").in(where);
        }
        if (text.isEmpty())
            throw new InvalidInputException("file", where, "is empty (no header)", "a header row and at least one data row").in(where);
        Table table = RunTable.emptyTable(where);
        String lastLine = where;
        List<String> last = null;
        try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
            boolean header = true;
            for (CSVRecord record : parser) {
                String line = where + " line " + parser.getCurrentLineNumber();
                if (last != null) RunTable.appendRow(table, last);
                List<String> cells = record.toList();
                if (header) {
                    try {
                        Column.checkHeader(cells);
                    } catch (InvalidInputException e) {
                        throw e.in(line);
                    }
                    header = false;
                    continue;
                }
                if (cells.size() != Column.NAMES.size())
                    throw new InvalidInputException("row", abbreviated(record), "has " + cells.size() + " cells (a truncated or edited row?)",
                            Column.NAMES.size() + " cells, one per column of the header").in(line);
                for (int i = 0; i < cells.size(); i++) {
                    try {
                        Column.values()[i].check(cells.get(i));
                    } catch (InvalidInputException e) {
                        throw e.in(line);
                    }
                }
                last = cells;
                lastLine = line;
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new InvalidInputException("file", where, "is not well-formed CSV: " + firstLine(e.getMessage()),
                    "RFC 4180 CSV as gamerlab writes it (quotes closed, one record per line)").in(where);
        }
        requireClosingRow(last, table.rowCount(), lastLine);
        if (table.rowCount() == 0)
            throw new InvalidInputException("file", where, "has a header but no rows", "a header row and at least one data row").in(where);
        return table;
    }

    /** The last row must close the file, counting the rows before it: else the file was cut short or edited. */
    private static void requireClosingRow(List<String> last, int rowsBefore, String where) {
        String allowed = "a file ending with its closing row: source " + CLOSING_SOURCE + ", metric " + CLOSING_METRIC
                + ", value the number of rows before it";
        if (last == null) throw new InvalidInputException("file", "(a header only)", "has no rows", allowed).in(where);
        int at = Column.SOURCE.ordinal();
        String value = last.get(Column.VALUE.ordinal());
        if (!last.get(at).equals(CLOSING_SOURCE) || !last.get(at + 1).equals(CLOSING_METRIC))
            throw new InvalidInputException("last row", last.get(at) + "/" + last.get(at + 1),
                    "is not the closing row (the file was cut short, or rows were added after it)", allowed).in(where);
        if (!value.equals(Integer.toString(rowsBefore)))
            throw new InvalidInputException("closing row value", value, "does not count the " + rowsBefore + " rows before it"
                    + " (the file was cut short or edited)", allowed).in(where);
    }

    private static String abbreviated(CSVRecord record) {
        String s = String.join(",", record.toList());
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static String firstLine(String message) {
        return message == null ? "(no detail)" : message.lines().findFirst().orElse("");
    }
}
