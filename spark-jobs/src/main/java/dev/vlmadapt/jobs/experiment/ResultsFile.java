package dev.vlmadapt.jobs.experiment;

import dev.vlmadapt.jobs.DriverParquet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * {@code results.parquet} of an experiment, written on the driver: one row per run at the experiment's budget,
 * and one per test point a run measured on the way ({@code tune.test-at}), so that budget curves read from the
 * same table.
 */
final class ResultsFile {
    /**
     * task, method, seed, budget (the experiment's, or the test point's), queries (spent by then),
     * zero_shot_acc, val_acc, test_acc (of the reported parameters), tuning_seconds, run (the tune run id),
     * test_acc_last and test_acc_best_val (both reports of the run at its budget; NaN for test points and
     * zero-shot).
     */
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message results {"
            + " required binary task (UTF8); required binary method (UTF8); required int32 seed;"
            + " required int64 budget; required int64 queries; required double zero_shot_acc; required double val_acc;"
            + " required double test_acc; required double tuning_seconds; required binary run (UTF8);"
            + " required double test_acc_last; required double test_acc_best_val; }");

    /** Column positions in the rows. */
    static final int TASK = 0;
    static final int METHOD = 1;
    static final int SEED = 2;
    static final int BUDGET = 3;
    static final int VAL = 6;
    static final int TEST = 7;

    private ResultsFile() {
    }

    static void write(Path file, List<Row> rows) throws IOException {
        DriverParquet.write(file, SCHEMA, rows, (r, g) -> g.append("task", r.getString(0))
                .append("method", r.getString(1)).append("seed", r.getInt(2)).append("budget", r.getLong(3))
                .append("queries", r.getLong(4)).append("zero_shot_acc", r.getDouble(5)).append("val_acc",
                        r.getDouble(6)).append("test_acc", r.getDouble(7)).append("tuning_seconds", r.getDouble(8))
                .append("run", r.getString(9)).append("test_acc_last", r.getDouble(10))
                .append("test_acc_best_val", r.getDouble(11)));
    }

    /**
     * @param task the task
     * @param method the method or variant
     * @param seed the split seed
     * @param budget the experiment's budget
     * @param summary the tune run's summary
     * @param runId the tune run's id
     * @return the run's rows: its test points (budget = the configured point, queries = when it was measured),
     *     then its final result at {@code budget}
     */
    private static double number(Map<String, Object> summary, String key) {
        Object v = summary.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @SuppressWarnings("unchecked")
    static List<Row> rows(String task, String method, int seed, long budget, Map<String, Object> summary,
            String runId) {
        List<Row> rows = new ArrayList<>();
        double zeroShot = ((Number) summary.get("zero_shot_acc")).doubleValue();
        Object points = summary.get("test_at");
        if (points instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> p = (Map<String, Object>) o;
                rows.add(RowFactory.create(task, method, seed, ((Number) p.get("budget")).longValue(),
                        ((Number) p.get("queries")).longValue(), zeroShot,
                        ((Number) p.get("val_acc")).doubleValue(), ((Number) p.get("test_acc")).doubleValue(),
                        ((Number) p.get("elapsed_s")).doubleValue(), runId, Double.NaN, Double.NaN));
            }
        }
        rows.add(RowFactory.create(task, method, seed, budget, ((Number) summary.get("queries")).longValue(),
                zeroShot, ((Number) summary.get("val_acc")).doubleValue(),
                ((Number) summary.get("test_acc")).doubleValue(),
                ((Number) summary.get("tuning_seconds")).doubleValue(), runId, number(summary, "test_acc_last"),
                number(summary, "test_acc_best_val")));
        return rows;
    }
}
