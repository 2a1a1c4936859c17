package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.DriverParquet;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.evaluate.EvalData;
import dev.vlmadapt.jobs.evaluate.EvaluateJob;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.runtime.select.EntropyEnsemble;
import dev.vlmadapt.runtime.select.SelectionBenchmark;
import dev.vlmadapt.runtime.select.SelectionTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * MLL's reuse on a catalog dataset: selects k models per class ({@link MllSelect}), then classifies the dataset's
 * {@code evaluate.split} with them as an entropy-weighted ensemble ({@link EntropyEnsemble}); each chosen model's
 * probabilities come from the feature table's image features where it holds the whole split, else from the images.
 * Prints the ensemble's top-1 beside each chosen model's own, writes {@code reuse.parquet} (image_id, label,
 * predicted).
 */
public final class ReuseJob implements Job {
    static final MessageType PREDICTIONS = MessageTypeParser.parseMessageType("message reuse {"
            + " required binary image_id (UTF8); required int32 label; required int32 predicted; }");

    @Override
    public String name() {
        return "reuse";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        String dataset = config.string("select.dataset");
        if (dataset.isBlank()) {
            throw new IllegalArgumentException("reuse needs a catalog dataset with images to classify: set "
                    + "select.dataset (--dataset NAME)");
        }
        int k = config.integer("select.mll.k", 1);
        String split = config.string("evaluate.split");
        DatasetCatalog catalog = new DatasetCatalog(config);
        SparkSession spark = SparkSessions.getOrCreate(config, name());
        TableStore store = new TableStore(spark, config.string("tables.root"));
        JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
        try (RunDirectory run = RunDirectory.create(config, name())) {
            MllSelect.Result r = new MllSelect(config, spark, store).select(new SelectionTarget(
                    SelectionTable.catalogText(catalog, dataset), catalog.info(dataset).templates()), k);
            Map<String, ModelRef> chosen = TargetProbabilities.chosen(config, spark, r);
            EvalData data = EvaluateJob.data(config, store, dataset, split, run.runId() + "-" + dataset);
            Broadcast<EvalData> shared = jsc.broadcast(data);
            Map<String, Broadcast<float[][]>> stored = TargetProbabilities.stored(store, jsc, data, chosen);
            Map<String, double[][]> probs = TargetProbabilities.of(jsc, shared, chosen, stored,
                    config.string("device"), config.integer("evaluate.batch-size", 1));
            List<double[][]> byIndex = new ArrayList<>();
            r.models().forEach(m -> byIndex.add(probs.get(m)));
            int[] predicted = EntropyEnsemble.predict(byIndex, r.selection().chosen());
            double accuracy = SelectionBenchmark.accuracy(predicted, data.labels());
            System.out.printf(Locale.ROOT, "%s/%s: %d images, %d classes, %d models chosen (k = %d per class)%n",
                    dataset, split, data.labels().length, data.classes().size(), chosen.size(), k);
            Map<String, Object> alone = new LinkedHashMap<>();
            for (Map.Entry<String, double[][]> e : probs.entrySet()) {
                double a = SelectionBenchmark.accuracy(argmax(e.getValue()), data.labels());
                alone.put(e.getKey(), a);
                System.out.printf(Locale.ROOT, "  %-40s alone  top-1 %6.2f%%%s%n", e.getKey(), 100 * a,
                        stored.containsKey(e.getKey()) ? "  (stored features)" : "");
            }
            System.out.printf(Locale.ROOT, "  %-40s top-1 %6.2f%%%n", "entropy-weighted ensemble", 100 * accuracy);
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < predicted.length; i++) {
                rows.add(i);
            }
            DriverParquet.write(run.work().resolve("reuse.parquet"), PREDICTIONS, rows, (i, g) -> g
                    .append("image_id", data.ids().get(i)).append("label", data.labels()[i])
                    .append("predicted", predicted[i]));
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("dataset", dataset);
            results.put("split", split);
            results.put("k", k);
            results.put("n", data.labels().length);
            results.put("top1", accuracy);
            results.put("chosen_alone_top1", alone);
            results.put("from_stored_features", List.copyOf(stored.keySet()));
            results.put("selection_seconds", r.seconds());
            return run.commit(config, results);
        }
    }

    private static int[] argmax(double[][] p) {
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            for (int y = 1; y < p[i].length; y++) {
                if (p[i][y] > p[i][out[i]]) {
                    out[i] = y;
                }
            }
        }
        return out;
    }
}
