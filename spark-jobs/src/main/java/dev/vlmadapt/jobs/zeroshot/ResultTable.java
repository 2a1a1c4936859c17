package dev.vlmadapt.jobs.zeroshot;

import java.util.List;

/** A plain-text table for result output on stdout. */
public final class ResultTable {
    private ResultTable() {
    }

    /**
     * @param header column names
     * @param rows rows of cells, each as wide as the header
     * @return the table with aligned columns and a rule under the header
     */
    public static String render(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = header.get(c).length();
            for (List<String> r : rows) {
                w[c] = Math.max(w[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        for (int c = 0; c < w.length; c++) {
            sb.append(c == 0 ? "" : "-+-").append("-".repeat(w[c]));
        }
        sb.append('\n');
        rows.forEach(r -> line(sb, r, w));
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        for (int c = 0; c < w.length; c++) {
            String cell = cells.get(c);
            sb.append(c == 0 ? "" : " | ").append(c == 0 ? pad(cell, w[c], false) : pad(cell, w[c], true));
        }
        sb.append('\n');
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
