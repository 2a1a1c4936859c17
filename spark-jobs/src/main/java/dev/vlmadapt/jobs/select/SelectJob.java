package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.DriverParquet;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.runtime.select.AccuracyTable;
import dev.vlmadapt.runtime.select.DatasetEmbedding;
import dev.vlmadapt.runtime.select.DatasetText;
import dev.vlmadapt.runtime.select.LanguageOnlyPredictor;
import dev.vlmadapt.runtime.select.RankingMetrics;
import dev.vlmadapt.runtime.select.SelectionTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.SparkSession;

/**
 * Chooses models for targets known by text only. {@code select.method = mll}: MLL over the labelled hub
 * ({@link MllSelectRun}). {@code language-only}: ranks the models of a ranking table, predicting each model's
 * zero-shot accuracy from its results on the table's datasets, weighted by how alike their texts are to the
 * target's. Prints the ranked list and writes {@code predictions.parquet} (target, model, pretrained where
 * known, predicted_accuracy, rank) beside {@code summary.json}. A target that is a column of the table is left
 * out of what the prediction reads (it is unseen by definition).
 */
public final class SelectJob implements Job {
    /** {@code predictions.parquet}. */
    static final MessageType PREDICTIONS = MessageTypeParser.parseMessageType("message predictions {"
            + " required binary target (UTF8); required binary model (UTF8); optional binary pretrained (UTF8);"
            + " required double predicted_accuracy; required int32 rank; }");

    record Predicted(String target, String model, double accuracy, int rank) {
    }

    @Override
    public String name() {
        return "select";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        List<SelectionTarget> targets = targets(config);
        String method = config.string("select.method");
        if (!method.equals("mll") && !method.equals("language-only")) {
            throw new IllegalArgumentException("vlmadapt.select.method = '" + method + "'; expected mll or "
                    + "language-only");
        }
        SparkSession spark = SparkSessions.getOrCreate(config, name());
        if (method.equals("mll")) {
            return MllSelectRun.run(config, spark, targets, name());
        }
        try (RunDirectory run = RunDirectory.create(config, name())) {
            SelectionTable in = SelectionTable.load(config, spark);
            long start = System.nanoTime();
            List<DatasetText> extra = new ArrayList<>();
            targets.forEach(t -> extra.add(t.text()));
            Map<String, DatasetEmbedding> embeddings = in.embedAll(extra);
            LanguageOnlyPredictor predictor = new LanguageOnlyPredictor(params(config));
            int top = config.integer("select.top", 1);
            List<Predicted> rows = new ArrayList<>();
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
                    rows.add(new Predicted(name, p.models().get(order[r]), p.accuracy()[order[r]], r + 1));
                    if (r < top) {
                        System.out.printf(Locale.ROOT, "%4d  %-55s predicted top-1 %6.2f%%%n", r + 1,
                                p.models().get(order[r]), 100 * p.accuracy()[order[r]]);
                    }
                }
                best.put(name, p.models().get(order[0]));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "selection took %.2f s (embedding the texts included)%n", seconds);
            writePredictions(run.work().resolve("predictions.parquet"), rows);
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

    /** Writes {@code predictions.parquet}: the pretrained tag is what follows a ':' in the model's name. */
    static void writePredictions(Path file, List<Predicted> rows) throws java.io.IOException {
        DriverParquet.write(file, PREDICTIONS, rows, (r, g) -> {
            g.append("target", r.target()).append("model", r.model());
            int colon = r.model().indexOf(':');
            if (colon > 0) {
                g.append("pretrained", r.model().substring(colon + 1));
            }
            g.append("predicted_accuracy", r.accuracy()).append("rank", r.rank());
        });
    }

    /** The targets of {@code select.target} or {@code select.dataset}. */
    static List<SelectionTarget> targets(JobConfig config) throws java.io.IOException {
        String file = config.string("select.target");
        String dataset = config.string("select.dataset");
        if (file.isBlank() == dataset.isBlank()) {
            throw new IllegalArgumentException("give one target: select.target (a JSON file, --target) or "
                    + "select.dataset (a catalog dataset, --dataset)");
        }
        if (!file.isBlank()) {
            return SelectionTarget.read(Path.of(file));
        }
        DatasetCatalog catalog = new DatasetCatalog(config);
        DatasetText text = SelectionTable.catalogText(catalog, dataset);
        return List.of(new SelectionTarget(text, catalog.info(dataset).templates()));
    }

    static LanguageOnlyPredictor.Params params(JobConfig config) {
        try {
            return new LanguageOnlyPredictor.Params(config.number("select.language-only.temperature", 0),
                    config.nonNegative("select.language-only.transfer-weight"),
                    config.nonNegative("select.language-only.description-weight"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vlmadapt.select.language-only: " + e.getMessage(), e);
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
