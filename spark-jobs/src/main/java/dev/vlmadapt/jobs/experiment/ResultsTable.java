package dev.vlmadapt.jobs.experiment;

import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.spark.sql.Row;

/**
 * The experiment's markdown tables: test accuracy, mean ± sample std over seeds, per task and on average, at
 * the experiment's budget; the same at every test point the runs measured on the way; and the validation
 * accuracy at the budget (what a choice of settings may look at).
 */
final class ResultsTable {
    private ResultsTable() {
    }

    static String report(List<Row> rows, List<String> tasks, List<String> methods, long budget) {
        StringBuilder sb = new StringBuilder(markdown(at(rows, budget), tasks, methods, ResultsFile.TEST));
        List<Long> points = rows.stream().map(r -> r.getLong(ResultsFile.BUDGET)).filter(b -> b != budget).distinct()
                .sorted().toList();
        for (long p : points) {
            sb.append(String.format(Locale.ROOT, "%nTest accuracy at %,d queries:%n%n", p))
                    .append(markdown(at(rows, p), tasks, methods, ResultsFile.TEST));
        }
        if (!points.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nValidation accuracy at %,d queries:%n%n", budget))
                    .append(markdown(at(rows, budget), tasks, methods, ResultsFile.VAL));
        }
        return sb.toString();
    }

    private static List<Row> at(List<Row> rows, long budget) {
        return rows.stream().filter(r -> r.getLong(ResultsFile.BUDGET) == budget).toList();
    }

    static String markdown(List<Row> rows, List<String> tasks, List<String> methods, int column) {
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
                    if (r.getString(ResultsFile.TASK).equals(t) && r.getString(ResultsFile.METHOD).equals(m)) {
                        s.addValue(100 * r.getDouble(column));
                    }
                }
                all.addValue(s.getMean());
                sb.append(' ').append(cell(s)).append(" |");
            }
            // Average over tasks of the per-task means; its spread is over the seeds' task-averages.
            SummaryStatistics seedAvg = new SummaryStatistics();
            for (Integer seed : rows.stream().map(r -> r.getInt(ResultsFile.SEED)).distinct().toList()) {
                SummaryStatistics s = new SummaryStatistics();
                for (Row r : rows) {
                    if (r.getString(ResultsFile.METHOD).equals(m) && r.getInt(ResultsFile.SEED) == seed) {
                        s.addValue(100 * r.getDouble(column));
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
