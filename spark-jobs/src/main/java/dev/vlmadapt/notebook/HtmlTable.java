package dev.vlmadapt.notebook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A small HTML table for a notebook cell ({@code display("text/html", table.html())}): a header and rows of
 * values, every text escaped, numbers right-aligned with a fixed number of decimals, missing values (null, NaN)
 * as a dash.
 */
public final class HtmlTable {
    private final List<String> header;
    private final List<List<Object>> rows = new ArrayList<>();
    private int decimals = 2;
    private String caption;

    private HtmlTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    /**
     * @param header the column titles
     * @return an empty table with that header
     */
    public static HtmlTable of(String... header) {
        return new HtmlTable(Arrays.asList(header));
    }

    /**
     * @param header the column titles
     * @return an empty table with that header
     */
    public static HtmlTable of(List<String> header) {
        return new HtmlTable(header);
    }

    /**
     * @param rows Spark rows (collected here, so keep them few)
     * @param limit at most this many rows are shown
     * @return a table of the rows' columns
     */
    public static HtmlTable of(Dataset<Row> rows, int limit) {
        HtmlTable t = new HtmlTable(Arrays.asList(rows.columns()));
        for (Row r : rows.limit(limit).collectAsList()) {
            Object[] values = new Object[r.size()];
            for (int i = 0; i < r.size(); i++) {
                values[i] = r.get(i);
            }
            t.row(values);
        }
        return t;
    }

    /**
     * @param values one value per column
     * @return this table
     * @throws IllegalArgumentException if the count differs from the header's
     */
    public HtmlTable row(Object... values) {
        if (values.length != header.size()) {
            throw new IllegalArgumentException("a row of " + values.length + " values for " + header.size()
                    + " columns " + header);
        }
        rows.add(Arrays.asList(values));
        return this;
    }

    /**
     * @param n decimals of floating-point values (default 2)
     * @return this table
     */
    public HtmlTable decimals(int n) {
        this.decimals = n;
        return this;
    }

    /**
     * @param text a caption above the table
     * @return this table
     */
    public HtmlTable caption(String text) {
        this.caption = text;
        return this;
    }

    /** @return the number of rows so far */
    public int size() {
        return rows.size();
    }

    /** @return the table as an HTML fragment */
    public String html() {
        StringBuilder sb = new StringBuilder("<table style=\"border-collapse:collapse;font-size:90%\">\n");
        if (caption != null) {
            sb.append("<caption style=\"text-align:left;font-weight:bold\">").append(escape(caption))
                    .append("</caption>\n");
        }
        sb.append("<thead><tr>");
        for (String h : header) {
            sb.append("<th style=\"border-bottom:1px solid #999;padding:2px 8px\">").append(escape(h)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (List<Object> r : rows) {
            sb.append("<tr>");
            for (Object v : r) {
                boolean number = v instanceof Number;
                sb.append("<td style=\"padding:2px 8px;text-align:").append(number ? "right" : "left")
                        .append("\">").append(escape(format(v))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>").toString();
    }

    @Override
    public String toString() {
        return html();
    }

    private String format(Object v) {
        if (v == null || v instanceof Double d && d.isNaN() || v instanceof Float f && f.isNaN()) {
            return "–";
        }
        if (v instanceof Double || v instanceof Float) {
            return String.format(Locale.ROOT, "%." + decimals + "f", ((Number) v).doubleValue());
        }
        return v.toString();
    }

    /**
     * @param text any text
     * @return it with HTML's special characters escaped
     */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * What a notebook section shows when its input is missing.
     *
     * @param what the missing input, e.g. "No select-bench run"
     * @param where the path looked at
     * @param command the command that produces it
     * @return an HTML note naming them
     */
    public static String missing(String what, Object where, String command) {
        return "<div style=\"border-left:4px solid #e0a000;padding:4px 10px;background:#fffbea\"><b>"
                + escape(what) + "</b> under <code>" + escape(String.valueOf(where)) + "</code>. Produce it with "
                + "<code>" + escape(command) + "</code> and run this notebook again.</div>";
    }
}
