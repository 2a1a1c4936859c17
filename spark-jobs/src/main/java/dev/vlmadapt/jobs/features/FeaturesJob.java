package dev.vlmadapt.jobs.features;

import static org.apache.spark.sql.functions.col;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.Progress;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.SparkStatus;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.executor.ExecutorReport;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.runtime.clip.ClipConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Image features of a dataset's few-shot splits, computed once so that every later query reuses them: joins the
 * split table (the configured seeds and K) with the image table, encodes every image (training images also in
 * augmented views) on the executors, and publishes {@code features/model=<id>/dataset=<name>/k=<K>/split=*}.
 */
public final class FeaturesJob implements Job {
    @Override
    public String name() {
        return "features";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        String dataset = config.string("features.dataset");
        int k = config.integer("features.shots", 1);
        List<Integer> seeds = config.raw().getIntList("features.seeds");
        List<String> splits = config.strings("features.splits");
        for (String s : splits) {
            if (!List.of("train", "val", "test").contains(s)) {
                throw new IllegalArgumentException("vlmadapt.features.splits contains '" + s
                        + "'; expected train, val or test");
            }
        }
        int views = config.integer("features.augmented-views", 0);
        int batch = config.integer("features.batch-size", 1);
        int partitions = config.integer("features.partitions", 0);
        try (RunDirectory run = RunDirectory.create(config, name())) {
            SparkSession spark = SparkSessions.getOrCreate(config, name());
            TableStore store = new TableStore(spark, config.string("tables.root"));
            ModelRef model = ModelRef.of(config.string("model.dir"), spark.sparkContext().hadoopConfiguration());
            String modelId = model.id(config.string("model.id"));
            if (!modelId.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("model id '" + modelId + "' may only contain letters, digits, "
                        + "'.', '_' and '-'; set vlmadapt.model.id");
            }
            ClipConfig arch = model.config(spark.sparkContext().hadoopConfiguration());
            int stored = FeatureTable.storedDimension(store, modelId);
            if (stored >= 0 && stored != arch.projectionDim()) {
                throw new IllegalArgumentException(store.partition(TableStore.FEATURES, "model=" + modelId)
                        + " holds " + stored + "-dimensional features, but model " + model.uri() + " produces "
                        + arch.projectionDim() + "-dimensional ones; set another vlmadapt.model.id for this model");
            }

            Dataset<Row> wanted = splitRows(store, dataset, k, seeds, splits);
            Dataset<Row> images = store.read(TableStore.IMAGES).where(col("dataset").equalTo(dataset))
                    .select(col("id"), col("image"));
            Dataset<Row> joined = wanted.join(images, wanted.col("image_id").equalTo(images.col("id")), "left")
                    .select(col("split"), col("image_id"), col("label"), col("image"));
            Map<String, Long> perSplit = new TreeMap<>();
            List<Row> missing = joined.where(col("image").isNull()).select("image_id").limit(1).collectAsList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("split table names image " + missing.get(0).getString(0)
                        + ", which is not in " + store.partition(TableStore.IMAGES, "dataset=" + dataset)
                        + "; re-run ingest and splits for " + dataset);
            }
            for (Row r : wanted.groupBy("split").count().collectAsList()) {
                perSplit.put(r.getString(0), r.getLong(1));
            }
            long total = perSplit.entrySet().stream()
                    .mapToLong(e -> e.getValue() * (e.getKey().equals("train") ? 1 + views : 1)).sum();
            int tasks = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();

            LongAccumulator encoded = spark.sparkContext().longAccumulator("encoded views");
            ExecutorReport executors = ExecutorReport.register(spark.sparkContext());
            Dataset<Row> features = joined.repartition(tasks).mapPartitions(
                    new EncodePartition(model, arch, config.string("device"), config.integer("seed", 0), views,
                            batch, encoded, executors), Encoders.row(EncodePartition.OUTPUT));
            Progress progress = new Progress("features " + modelId + " " + dataset, total, "views");
            SparkStatus.describe(spark.sparkContext(), String.format(java.util.Locale.ROOT, "features %s %s: "
                    + "encoding %d views in %d tasks", modelId, dataset, total, tasks));
            String partition = FeatureTable.partition(modelId, dataset, k);
            long start = System.nanoTime();
            try (ProgressPoller poller = new ProgressPoller(progress, encoded)) {
                store.publish(features, TableStore.FEATURES, partition, run.runId(), "split");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.done();

            Map<String, Object> results = new LinkedHashMap<>();
            results.put("model", modelId);
            results.put("model_uri", model.uri());
            results.put("dataset", dataset);
            results.put("k", k);
            results.put("seeds", seeds);
            results.put("images", perSplit);
            results.put("augmented_views", views);
            results.put("views", total);
            results.put("dimension", arch.projectionDim());
            results.put("views_per_second", Math.round(total / seconds * 10) / 10.0);
            results.put("table", store.partition(TableStore.FEATURES, partition));
            results.put("executors", executors.rows());
            System.out.printf(Locale.ROOT, "wrote %d %d-dimensional features (%s) of %s to %s%n", total,
                    arch.projectionDim(), perSplit, dataset, results.get("table"));
            return run.commit(config, results);
        }
    }

    /** The distinct (split, image, label) of the chosen seeds; an image in several seeds' splits is encoded once. */
    private static Dataset<Row> splitRows(TableStore store, String dataset, int k, List<Integer> seeds,
            List<String> splits) throws java.io.IOException {
        String hint = "; run `bin/vlmadapt splits splits.dataset=" + dataset + " splits.shots=" + k + "`";
        if (!store.exists(TableStore.SPLITS)) {
            throw new IllegalArgumentException("no split table at " + store.table(TableStore.SPLITS) + hint);
        }
        Dataset<Row> rows = store.read(TableStore.SPLITS).where(col("dataset").equalTo(dataset)
                .and(col("k").equalTo(k)).and(col("seed").isin(seeds.toArray())).and(col("split").isin(splits.toArray())))
                .select("split", "image_id", "label").distinct();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no " + splits + " rows for dataset " + dataset + ", k=" + k
                    + ", seeds " + seeds + " in " + store.table(TableStore.SPLITS) + hint);
        }
        return rows;
    }

    /** Prints the progress line from the accumulator every second while the Spark job runs. */
    private static final class ProgressPoller implements AutoCloseable {
        private final Thread thread;

        ProgressPoller(Progress progress, LongAccumulator encoded) {
            thread = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(1000);
                        progress.update(encoded.value());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "features-progress");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }
}
