package dev.vlmadapt.jobs.experiment;

import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.spark.sql.Row;

/** The experiment's markdown table: test accuracy, mean ± sample std over seeds, per task and on average. */
final class ResultsTable {
    private ResultsTable() {
    }

    static String markdown(List<Row> rows, List<String> tasks, List<String> methods) {
        StringBuilder sb = new StringBuilder("| method |");
        for (String t : tasks) {
            sb.append(' ').append(t).append(" |");
        }
        sb.append(" average |\n|---|");
        sb.append("---|".repeat(tasks.size() + 1)).append('\n');
        for (String m : methods) {
            sb.append("| ").append(m).append(" |");
            SummaryStatistics all = new SummaryStatistics();
            for (String t : tasks) {
                SummaryStatistics s = new SummaryStatistics();
                for (Row r : rows) {
                    if (r.getString(0).equals(t) && r.getString(1).equals(m)) {
                        s.addValue(100 * r.getDouble(6));
                    }
                }
                all.addValue(s.getMean());
                sb.append(' ').append(cell(s)).append(" |");
            }
            // Average over tasks of the per-task means; its spread is over the seeds' task-averages.
            SummaryStatistics seedAvg = new SummaryStatistics();
            for (Integer seed : rows.stream().map(r -> r.getInt(2)).distinct().toList()) {
                SummaryStatistics s = new SummaryStatistics();
                for (Row r : rows) {
                    if (r.getString(1).equals(m) && r.getInt(2) == seed) {
                        s.addValue(100 * r.getDouble(6));
                    }
                }
                seedAvg.addValue(s.getMean());
            }
            sb.append(' ').append(String.format(Locale.ROOT, "%.2f ± %.2f", all.getMean(),
                    seedAvg.getN() > 1 ? seedAvg.getStandardDeviation() : 0.0)).append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(SummaryStatistics s) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", s.getMean(), s.getN() > 1 ? s.getStandardDeviation() : 0.0);
    }
}
