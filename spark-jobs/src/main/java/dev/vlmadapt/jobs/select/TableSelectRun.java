package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.runtime.select.AccuracyTable;
import dev.vlmadapt.runtime.select.DatasetEmbedding;
import dev.vlmadapt.runtime.select.DatasetText;
import dev.vlmadapt.runtime.select.LanguageOnlyPredictor;
import dev.vlmadapt.runtime.select.RankingMetrics;
import dev.vlmadapt.runtime.select.SelectionTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code select} over a ranking table (language-only): each target's predicted accuracy for every model, printed
 * best first and written to {@code predictions.parquet}. A target that is a column of the table is left out of
 * what its prediction reads.
 */
final class TableSelectRun {
    private TableSelectRun() {
    }

    static Map<String, Object> run(JobConfig config, SparkSession spark, List<SelectionTarget> targets, String job)
            throws Exception {
        try (RunDirectory run = RunDirectory.create(config, job)) {
            SelectionTable in = SelectionTable.load(config, spark);
            long start = System.nanoTime();
            List<DatasetText> extra = new ArrayList<>();
            targets.forEach(t -> extra.add(t.text()));
            Map<String, DatasetEmbedding> embeddings = in.embedAll(extra);
            LanguageOnlyPredictor predictor = new LanguageOnlyPredictor(SelectJob.params(config));
            int top = config.integer("select.top", 1);
            List<SelectJob.Predicted> rows = new ArrayList<>();
            Map<String, Object> best = new LinkedHashMap<>();
            for (SelectionTarget target : targets) {
                String name = target.text().name();
                List<String> known = new ArrayList<>(in.table().datasets());
                known.remove(name);
                AccuracyTable table = in.table().withDatasets(known);
                LanguageOnlyPredictor.Prediction p = predictor.predict(table, embeddings, embeddings.get(name));
                int[] order = RankingMetrics.topK(p.standing(), p.models().size());
                System.out.printf(Locale.ROOT, "%s: %d models ranked from %d datasets of %s (nearest: %s)%n", name,
                        order.length, known.size(), in.path(), nearest(p));
                for (int r = 0; r < order.length; r++) {
                    rows.add(new SelectJob.Predicted(name, p.models().get(order[r]), p.accuracy()[order[r]], r + 1));
                    if (r < top) {
                        System.out.printf(Locale.ROOT, "%4d  %-55s predicted top-1 %6.2f%%%n", r + 1,
                                p.models().get(order[r]), 100 * p.accuracy()[order[r]]);
                    }
                }
                best.put(name, p.models().get(order[0]));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "selection took %.2f s (embedding the texts included)%n", seconds);
            SelectJob.writePredictions(run.work().resolve("predictions.parquet"), rows);
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("method", "language-only");
            results.put("table", in.path());
            results.put("models", in.table().models().size());
            results.put("datasets", in.table().datasets());
            results.put("best", best);
            results.put("selection_seconds", seconds);
            return run.commit(config, results);
        }
    }

    /** The two most-weighted known datasets, for the user to judge the prediction. */
    private static String nearest(LanguageOnlyPredictor.Prediction p) {
        int[] top = RankingMetrics.topK(p.weights(), 2);
        StringBuilder sb = new StringBuilder();
        for (int i : top) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f",
                    p.datasets().get(i), p.weights()[i]));
        }
        return sb.toString();
    }
}
