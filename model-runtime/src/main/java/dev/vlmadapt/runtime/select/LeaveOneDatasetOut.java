package dev.vlmadapt.runtime.select;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leave-one-dataset-out evaluation of language-only selection on a ranking table: each dataset in turn is the
 * target, hidden from the predictor, and the predicted ranking of the models that have a result on it is scored
 * against their true accuracy. Beside it: ranking by the reference dataset's accuracy (ImageNet-1k; its best
 * model is INB), and the predictor with λ = 0 (the models' mean standing only, no text). The reference dataset
 * is never a target, since its own column would be the answer.
 */
public final class LeaveOneDatasetOut {
    /** Method names in the results. */
    public static final String LANGUAGE_ONLY = "language-only";
    /** Ranking by the reference dataset's accuracy. */
    public static final String REFERENCE = "reference-accuracy";
    /** λ = 0: the models' mean standing over the known datasets. */
    public static final String PRIOR_ONLY = "prior-only";

    /**
     * One method on one held-out dataset.
     *
     * @param target the held-out dataset, or {@code mean} for the average over targets (equal weight each)
     * @param method the method
     * @param models models ranked
     * @param kendallTau τ-b over all models
     * @param lovmTau5 LOVM's τ over the models in both top-5 lists
     * @param top5Recall share of the true top 5 in the predicted top 5 (LOVM's R5)
     * @param topOneRegret oracle top-1 minus the predicted best model's top-1
     * @param meanAbsoluteError mean |predicted − true top-1|
     * @param chosen the predicted best model (empty for the mean)
     */
    public record Row(String target, String method, int models, double kendallTau, double lovmTau5,
            double top5Recall, double topOneRegret, double meanAbsoluteError, String chosen) {
    }

    private LeaveOneDatasetOut() {
    }

    /**
     * @param table the ranking table
     * @param embeddings every dataset's text embedding
     * @param params the predictor's settings
     * @param reference the reference dataset (e.g. {@code ImageNet 1k})
     * @return a row per target and method, then a {@code mean} row per method
     */
    public static List<Row> run(AccuracyTable table, Map<String, DatasetEmbedding> embeddings,
            LanguageOnlyPredictor.Params params, String reference) {
        table.datasetIndex(reference);
        LanguageOnlyPredictor transfer = new LanguageOnlyPredictor(params);
        LanguageOnlyPredictor prior = new LanguageOnlyPredictor(
                new LanguageOnlyPredictor.Params(params.temperature(), 0, params.descriptionWeight()));
        List<Row> rows = new ArrayList<>();
        for (String target : table.datasets()) {
            if (target.equals(reference)) {
                continue;
            }
            AccuracyTable present = table.modelsWith(target).modelsWith(reference);
            double[] truth = present.column(present.datasetIndex(target));
            List<String> others = new ArrayList<>(present.datasets());
            others.remove(target);
            AccuracyTable known = present.withDatasets(others);
            DatasetEmbedding t = embeddings.get(target);
            LanguageOnlyPredictor.Prediction p = transfer.predict(known, embeddings, t);
            rows.add(row(target, LANGUAGE_ONLY, present.models(), p.standing(), p.accuracy(), truth));
            LanguageOnlyPredictor.Prediction q = prior.predict(known, embeddings, t);
            rows.add(row(target, PRIOR_ONLY, present.models(), q.standing(), q.accuracy(), truth));
            double[] ref = present.column(present.datasetIndex(reference));
            rows.add(row(target, REFERENCE, present.models(), ref, ref, truth));
        }
        rows.addAll(means(rows));
        return rows;
    }

    private static Row row(String target, String method, List<String> models, double[] score, double[] accuracy,
            double[] truth) {
        return new Row(target, method, models.size(), RankingMetrics.kendallTau(score, truth),
                RankingMetrics.lovmTau(score, truth, 5), RankingMetrics.topKRecall(score, truth, 5),
                RankingMetrics.topOneRegret(score, truth), RankingMetrics.meanAbsoluteError(accuracy, truth),
                models.get(RankingMetrics.topK(score, 1)[0]));
    }

    /** Equal weight per held-out dataset, as LOVM averages. */
    private static List<Row> means(List<Row> rows) {
        Map<String, List<Row>> byMethod = new LinkedHashMap<>();
        for (Row r : rows) {
            byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        }
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, List<Row>> e : byMethod.entrySet()) {
            List<Row> rs = e.getValue();
            out.add(new Row("mean", e.getKey(), (int) Math.round(rs.stream().mapToInt(Row::models).average()
                    .orElse(0)), rs.stream().mapToDouble(Row::kendallTau).average().orElse(Double.NaN),
                    rs.stream().mapToDouble(Row::lovmTau5).average().orElse(Double.NaN),
                    rs.stream().mapToDouble(Row::top5Recall).average().orElse(Double.NaN),
                    rs.stream().mapToDouble(Row::topOneRegret).average().orElse(Double.NaN),
                    rs.stream().mapToDouble(Row::meanAbsoluteError).average().orElse(Double.NaN), ""));
        }
        return out;
    }
}
