package dev.vlmadapt.jobs.evaluate;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.SparkStatus;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.executor.ExecutorReport;
import dev.vlmadapt.jobs.executor.ModelCache;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.jobs.executor.TaskDevice;
import dev.vlmadapt.jobs.hub.RankingTable;
import dev.vlmadapt.jobs.ingest.IngestJob;
import dev.vlmadapt.jobs.zeroshot.ZeroShotJob;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipFlops;
import dev.vlmadapt.runtime.hub.Ranking;
import dev.vlmadapt.runtime.zeroshot.ZeroShotEvaluator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Zero-shot evaluation of a grid of models × datasets into the ranking table ({@code source=evaluated}): one Spark
 * task per pair, the pairs of a model in consecutive partitions so that each executor loads a model once
 * ({@link ModelCache}); each dataset's images come from the image table (ingested first where missing) and go
 * out in one broadcast, unless the feature table holds the model's features of them all ({@link StoredFeatures}).
 * Resumable: pairs already in the table with the same prompts are skipped ({@code evaluate.recompute} forces them). The table's partition is rewritten once, at the end, with the old and
 * new rows: a failure (e.g. a model that does not load, or scores NaN) leaves it as it was.
 */
public final class EvaluateJob implements Job {
    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        List<String> modelDirs = config.strings("evaluate.models");
        List<String> datasets = config.strings("evaluate.datasets");
        if (modelDirs.isEmpty() || datasets.isEmpty()) {
            throw new IllegalArgumentException("evaluate.models and evaluate.datasets must each name at least one");
        }
        String split = config.string("evaluate.split");
        String origin = config.string("evaluate.origin");
        int batch = config.integer("evaluate.batch-size", 1);
        DatasetCatalog catalog = new DatasetCatalog(config);
        try (RunDirectory run = RunDirectory.create(config, name())) {
            SparkSession spark = SparkSessions.getOrCreate(config, name());
            TableStore store = new TableStore(spark, config.string("tables.root"));
            Map<String, ModelRef> models = new LinkedHashMap<>();
            for (String dir : modelDirs) {
                ModelRef ref = ModelRef.of(dir, spark.sparkContext().hadoopConfiguration());
                if (models.put(ref.name(), ref) != null) {
                    throw new IllegalArgumentException("evaluate.models: two models are named " + ref.name());
                }
            }
            Map<String, String> hashes = new LinkedHashMap<>();
            for (String d : datasets) {
                DatasetCatalog.DatasetInfo info = catalog.info(d);
                hashes.put(d, GridPlan.promptsHash(info.classes(), info.templates()));
            }
            // This job rewrites its own partition (source=evaluated/origin=<origin>): what is there is kept.
            List<Ranking> existing = RankingTable.read(store, Ranking.EVALUATED, origin);
            List<GridPlan.Pair> pending = GridPlan.pending(List.copyOf(models.keySet()), datasets, hashes, split,
                    existing, config.bool("evaluate.recompute"));
            System.err.printf(Locale.ROOT, "[evaluate] %d of %d pairs to evaluate%n", pending.size(),
                    models.size() * datasets.size());
            JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
            Map<String, Broadcast<EvalData>> data = new LinkedHashMap<>();
            for (GridPlan.Pair p : pending) {
                if (!data.containsKey(p.dataset())) {
                    data.put(p.dataset(), jsc.broadcast(load(config, store, catalog, p.dataset(), split,
                            hashes.get(p.dataset()), run.runId())));
                }
            }
            // Image features the feature table holds for a pair: only the text tower runs for it.
            Map<GridPlan.Pair, Broadcast<float[][]>> stored = StoredFeatures.forPairs(store, jsc, pending, models,
                    data);
            ExecutorReport report = ExecutorReport.register(spark.sparkContext());
            String deviceSetting = config.string("device");
            String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            List<Ranking> fresh = evaluate(jsc, pending, models, data, stored, deviceSetting, batch, at, report);
            // The evaluated partition of this origin: the rows kept, then the new ones.
            List<Row> rows = new ArrayList<>();
            for (Ranking r : existing) {
                boolean replaced = fresh.stream().anyMatch(f -> f.model().equals(r.model())
                        && f.dataset().equals(r.dataset()) && f.split().equals(r.split()));
                if (!replaced) {
                    rows.add(RankingTable.row(r));
                }
            }
            fresh.forEach(r -> rows.add(RankingTable.row(r)));
            String partition = RankingTable.partition(Ranking.EVALUATED, origin);
            if (!fresh.isEmpty()) {
                store.publish(spark.createDataFrame(rows, RankingTable.SCHEMA).coalesce(1), RankingTable.TABLE,
                        partition, run.runId());
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("pairs", models.size() * datasets.size());
            results.put("evaluated", fresh.size());
            results.put("skipped", models.size() * datasets.size() - fresh.size());
            results.put("from_stored_features", stored.size());
            List<Map<String, Object>> table = new ArrayList<>();
            for (Ranking r : fresh) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", r.model());
                m.put("dataset", r.dataset());
                m.put("top1", r.top1());
                m.put("top5", r.top5());
                m.put("mean_per_class_recall", r.meanPerClassRecall());
                m.put("n", r.n());
                m.put("seconds", r.seconds());
                boolean fromTable = stored.containsKey(new GridPlan.Pair(r.model(), r.dataset()));
                m.put("image_features", fromTable ? "feature table" : "encoded");
                double share = data.get(r.dataset()).value().largestClassShare();
                m.put("largest_class_share", share);
                table.add(m);
                System.out.printf(Locale.ROOT, "%-30s %-30s top-1 %6.2f%%  top-5 %6.2f%%  largest class %5.1f%%  "
                        + "(%d images, %.1f s%s)%n", r.model(), r.dataset(), 100 * r.top1(), 100 * r.top5(),
                        100 * share, r.n(), r.seconds(), fromTable ? ", stored features" : "");
            }
            results.put("results", table);
            results.put("executors", report.rows());
            results.put("table", store.partition(RankingTable.TABLE, partition));
            return run.commit(config, results);
        }
    }

    /** One task per pair; partitions follow the pairs' order, which is grouped by model. */
    private static List<Ranking> evaluate(JavaSparkContext jsc, List<GridPlan.Pair> pending,
            Map<String, ModelRef> models, Map<String, Broadcast<EvalData>> data,
            Map<GridPlan.Pair, Broadcast<float[][]>> stored, String deviceSetting, int batch, String at,
            ExecutorReport report) {
        if (pending.isEmpty()) {
            return List.of();
        }
        SparkStatus.describe(jsc.sc(), "evaluate: " + pending.size() + " model × dataset pairs, one task each");
        List<GridTask> tasks = new ArrayList<>();
        for (GridPlan.Pair p : pending) {
            tasks.add(new GridTask(p.model(), models.get(p.model()), data.get(p.dataset()), stored.get(p)));
        }
        return jsc.parallelize(tasks, tasks.size()).map(t -> {
            long start = System.nanoTime();
            EvalData d = t.data().value();
            float[][] features = t.features() == null ? null : t.features().value();
            var images = features == null ? d.decode() : null;
            var info = new DatasetCatalog.DatasetInfo(d.dataset(), "", "", "", d.classes(), d.templates());
            String where = d.dataset() + "/" + d.split();
            Scored s = ModelCache.withModel(t.ref(), TaskDevice.current(deviceSetting), model -> {
                try {
                    ZeroShotEvaluator.Result r = features == null
                            ? ZeroShotJob.evaluate(model, t.name(), where, images, info, batch, n -> { })
                            : ZeroShotJob.evaluateFeatures(model, t.name(), where, features, d.labels(), info, batch);
                    ClipConfig c = model.config();
                    return new Scored(r, model.weights().parameterCount() / 1e6,
                            (ClipFlops.image(c) + ClipFlops.text(c, c.contextLength())) / 1e9);
                } finally {
                    report.add(ExecutorReport.Use.ofThisTask(t.ref()));
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            ZeroShotEvaluator.Result r = s.result();
            return new Ranking(t.name(), d.dataset(), d.split(), r.top1(), r.top5(), r.meanPerClassRecall(), r.n(),
                    d.promptsHash(), s.paramsM(), s.gflops(), seconds, Ranking.EVALUATED, at);
        }).collect();
    }

    /** A pair's accuracies with the model's size: parameters (M) and GFLOPs per image and text, as open_clip. */
    private record Scored(ZeroShotEvaluator.Result result, double paramsM, double gflops) {
    }

    /** A pair as a task carries it: the image features when the feature table had them (else null). */
    record GridTask(String name, ModelRef ref, Broadcast<EvalData> data, Broadcast<float[][]> features)
            implements java.io.Serializable {
    }

    /**
     * @param config the job config
     * @param store the tables
     * @param dataset a dataset of the catalog
     * @param split its split
     * @param runId names the ingest run if the dataset must be ingested first
     * @return the split's images and labels as stored in the image table
     * @throws Exception if ingesting or reading fails
     */
    public static dev.vlmadapt.runtime.data.LabeledImages images(JobConfig config, TableStore store, String dataset,
            String split, String runId) throws Exception {
        return load(config, store, new DatasetCatalog(config), dataset, split, "", runId).decode();
    }

    /**
     * @param config the job config
     * @param store the tables
     * @param dataset a dataset of the catalog
     * @param split its split
     * @param runId names the ingest run if the dataset must be ingested first
     * @return the split as the executors need it (PNG bytes, labels, classes, templates)
     * @throws Exception if ingesting or reading fails
     */
    public static EvalData data(JobConfig config, TableStore store, String dataset, String split, String runId)
            throws Exception {
        return load(config, store, new DatasetCatalog(config), dataset, split, "", runId);
    }

    /** A dataset split from the image table, ingesting the dataset first if it is not there. */
    private static EvalData load(JobConfig config, TableStore store, DatasetCatalog catalog, String dataset,
            String split, String hash, String runId) throws Exception {
        boolean ingested = store.exists(TableStore.IMAGES) && !store.read(TableStore.IMAGES)
                .where(functions.col("dataset").equalTo(dataset)).isEmpty();
        if (!ingested) {
            new IngestJob().run(config.with(Map.of("ingest.dataset", dataset, "run-id", runId + "-" + dataset
                    + "-ingest")));
        }
        List<Row> rows = store.read(TableStore.IMAGES).where(functions.col("dataset").equalTo(dataset)
                        .and(functions.col("source_split").equalTo(split))).orderBy("id")
                .select("label", "image", "id").collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("dataset " + dataset + " has no " + split + " images in "
                    + store.table(TableStore.IMAGES));
        }
        List<byte[]> pngs = new ArrayList<>(rows.size());
        List<String> ids = new ArrayList<>(rows.size());
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            labels[i] = rows.get(i).getInt(0);
            pngs.add((byte[]) rows.get(i).get(1));
            ids.add(rows.get(i).getString(2));
        }
        DatasetCatalog.DatasetInfo info = catalog.info(dataset);
        return new EvalData(dataset, split, ids, pngs, labels, info.classes(), info.templates(), hash);
    }
}
