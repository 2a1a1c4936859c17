package dev.vlmadapt.jobs.experiment;

import dev.vlmadapt.jobs.HadoopFs;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.jobs.features.FeaturesJob;
import dev.vlmadapt.jobs.ingest.IngestJob;
import dev.vlmadapt.jobs.splits.SplitsJob;
import dev.vlmadapt.jobs.tune.TuneJob;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark: methods × tasks × seeds at one query budget. Prepares what a task lacks (ingest, splits,
 * features of the model), runs each tuning run as a {@code tune} run of its own ({@code tune/<id>-<task>-
 * <method>-s<seed>}), and writes {@code results.parquet} and {@code results.md} (mean ± std over seeds per task
 * and on average).
 */
public final class ExperimentJob implements Job {
    @Override
    public String name() {
        return "experiment";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        List<String> tasks = config.strings("experiment.tasks");
        List<MethodVariant> variants = MethodVariant.resolve(config);
        List<String> methods = variants.stream().map(MethodVariant::name).toList();
        List<Integer> seeds = config.raw().getIntList("experiment.seeds");
        int budget = config.integer("experiment.budget", 1);
        int k = config.integer("tune.shots", 1);
        if (config.raw().getBoolean("plan.enabled")) {
            return ExperimentPlanner.plan(config, tasks, variants, seeds, budget);
        }
        try (RunDirectory run = RunDirectory.create(config, name())) {
            SparkSession spark = SparkSessions.getOrCreate(config, name());
            TableStore store = new TableStore(spark, config.string("tables.root"));
            ModelRef model = ModelRef.of(config.string("model.dir"), spark.sparkContext().hadoopConfiguration());
            String modelId = model.id(config.string("model.id"));
            List<Row> rows = new ArrayList<>();
            int total = tasks.size() * methods.size() * seeds.size();
            int done = 0;
            for (String task : tasks) {
                prepare(config, store, task, k, seeds, modelId, run.runId());
                for (MethodVariant variant : variants) {
                    String method = variant.name();
                    for (int seed : seeds) {
                        String id = run.runId() + "-" + task + "-" + method + "-s" + seed;
                        System.err.printf(Locale.ROOT, "[experiment] run %d/%d: %s on %s, seed %d%n", ++done, total,
                                method, task, seed);
                        // A run finished by an earlier attempt of this experiment (same run id) is reused, if
                        // it was made with the settings that determine its result.
                        Map<String, String> overrides = new LinkedHashMap<>(variant.settings());
                        overrides.putAll(Map.of("run-id", id, "tune.method", variant.method(), "tune.dataset", task,
                                "seed", Integer.toString(seed), "tune.budget", Integer.toString(budget)));
                        JobConfig runConfig = config.with(overrides);
                        Map<String, Object> s = finished(config, id);
                        if (s == null) {
                            s = new TuneJob().run(runConfig);
                        } else {
                            Object stored = s.get("result_hash");
                            String expected = TuneJob.resultHash(runConfig);
                            if (stored != null && !stored.equals(expected)) {
                                throw new IllegalArgumentException("tune run " + id + " was finished with other "
                                        + "settings (result hash " + stored + ", now " + expected + "); use another "
                                        + "vlmadapt.run-id for this experiment, or delete that run to redo it");
                            }
                            System.err.println("[experiment] reusing the finished run " + id);
                        }
                        rows.addAll(ResultsFile.rows(task, method, seed, budget, s, id));
                    }
                }
            }
            ResultsFile.write(run.work().resolve("results.parquet"), rows);
            String table = ResultsTable.report(rows, tasks, methods, budget);
            Files.writeString(run.work().resolve("results.md"), table);
            System.out.println(table);
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("tasks", tasks);
            results.put("methods", methods);
            results.put("seeds", seeds);
            results.put("budget", budget);
            results.put("model", modelId);
            results.put("runs", rows.size());
            return run.commit(config, results);
        }
    }

    /** @return the summary of a finished tune run, or null */
    @SuppressWarnings("unchecked")
    static Map<String, Object> finished(JobConfig config, String runId) throws java.io.IOException {
        org.apache.hadoop.fs.Path summary = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(
                new org.apache.hadoop.fs.Path(config.string("output.root"), "tune"), runId), "summary.json");
        org.apache.hadoop.fs.FileSystem fs = HadoopFs.of(summary, HadoopFs.configuration(config));
        if (!fs.exists(summary)) {
            return null;
        }
        try (java.io.InputStream in = fs.open(summary)) {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, Map.class);
        }
    }

    /**
     * Runs ingest, splits and features for a task whose tables are missing or lack some of the seeds (a
     * features run replaces the partition with the splits of the seeds it is given).
     */
    private static void prepare(JobConfig config, TableStore store, String task, int k, List<Integer> seeds,
            String modelId, String runId) throws Exception {
        if (prepared(store, task, k, seeds, modelId)) {
            return;
        }
        String seedList = seeds.toString();
        Map<String, String> common = Map.of("ingest.dataset", task, "splits.dataset", task, "features.dataset", task,
                "splits.shots", Integer.toString(k), "features.shots", Integer.toString(k), "splits.seeds", seedList,
                "features.seeds", seedList);
        boolean haveImages = store.exists(TableStore.IMAGES) && !store.read(TableStore.IMAGES)
                .where("dataset = '" + task + "'").isEmpty();
        if (!haveImages) {
            new IngestJob().run(with(config, common, "run-id", runId + "-" + task + "-ingest"));
        }
        new SplitsJob().run(with(config, common, "run-id", runId + "-" + task + "-splits"));
        new FeaturesJob().run(with(config, common, "run-id", runId + "-" + task + "-features"));
    }

    /** @return whether the task's splits of all seeds and the model's features of them are in the tables */
    static boolean prepared(TableStore store, String task, int k, List<Integer> seeds, String modelId)
            throws java.io.IOException {
        boolean haveFeatures = store.exists(TableStore.FEATURES) && !store.read(TableStore.FEATURES)
                .where(String.format("model = '%s' AND dataset = '%s' AND k = %d", modelId, task, k)).isEmpty();
        return haveFeatures && store.read(TableStore.SPLITS)
                .where(String.format("dataset = '%s' AND k = %d", task, k)).select("seed").distinct()
                .collectAsList().stream().map(r -> r.getInt(0)).collect(java.util.stream.Collectors.toSet())
                .containsAll(seeds);
    }

    private static JobConfig with(JobConfig config, Map<String, String> common, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(common);
        m.put(key, value);
        return config.with(m);
    }
}
