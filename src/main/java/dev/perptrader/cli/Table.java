package dev.perptrader.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with columns as wide as their widest cell; numbers right-aligned. A row may
 * start with a label spanning several columns (a TOTAL row that says what it covers).
 */
final class Table {
    private final List<String> headers;
    private final List<Row> rows = new ArrayList<>();

    private record Row(int span, List<String> cells) {}

    Table(String... headers) {
        this.headers = Arrays.asList(headers);
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size());
        }
        rows.add(new Row(1, texts(cells)));
        return this;
    }

    /** A row whose {@code label} spans the first {@code span} columns, then one cell per remaining column. */
    Table spanned(String label, int span, Object... cells) {
        if (span < 1 || span + cells.length != headers.size()) {
            throw new IllegalArgumentException(
                    "span " + span + " + " + cells.length + " cells, table has " + headers.size());
        }
        List<String> r = new ArrayList<>();
        r.add(label);
        r.addAll(texts(cells));
        rows.add(new Row(span, r));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        for (Row r : rows) {
            for (int c = 1; c < r.cells.size(); c++) {
                int col = r.span + c - 1;
                widths[col] = Math.max(widths[col], r.cells.get(c).length());
            }
            if (r.span == 1) {
                widths[0] = Math.max(widths[0], r.cells.get(0).length());
            }
        }
        for (Row r : rows) {
            int missing = r.cells.get(0).length() - spanWidth(widths, r.span);
            if (r.span > 1 && missing > 0) {
                widths[r.span - 1] += missing;
            }
        }
        out.println(line(new Row(1, headers), widths));
        for (Row r : rows) {
            out.println(line(r, widths));
        }
        out.flush();
    }

    private static int spanWidth(int[] widths, int span) {
        int w = 2 * (span - 1);
        for (int i = 0; i < span; i++) {
            w += widths[i];
        }
        return w;
    }

    private static String line(Row row, int[] widths) {
        StringBuilder sb = new StringBuilder();
        List<String> cells = row.cells;
        for (int c = 0; c < cells.size(); c++) {
            String text = cells.get(c);
            int width = c == 0 ? spanWidth(widths, row.span) : widths[row.span + c - 1];
            boolean numeric = text.matches("-?[0-9][0-9.,%x]*");
            String pad = " ".repeat(width - text.length());
            sb.append(numeric ? pad + text : text + pad);
            if (c < cells.size() - 1) {
                sb.append("  ");
            }
        }
        return sb.toString().stripTrailing();
    }

    private static List<String> texts(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c == null ? "-" : c.toString());
        }
        return r;
    }
}
