package dev.vlmadapt.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.Devices;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.evaluate.EvaluateJob;
import dev.vlmadapt.jobs.pretrain.PretrainTinyJob;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.io.StagedDirectory;
import dev.vlmadapt.runtime.train.RandomClip;
import dev.vlmadapt.runtime.zeroshot.ZeroShotEvaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The evaluate grid through Spark against a direct loop ({@code bench-results/evaluate.json}): random CLIPs of
 * the default tiny architecture × a few concept datasets, once as the {@code evaluate} job (table read,
 * broadcast, one task per pair, results written) and once as a loop in this thread over the same decoded
 * images (each model loaded once), with the same PyTorch threads; images per second, medians of repeats. Also
 * how often the Spark run loaded each model per executor (from the executors' reports).
 */
public final class BenchEvaluateJob implements Job {
    @Override
    public String name() {
        return "bench-evaluate";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        List<String> datasets = config.strings("bench.evaluate.datasets");
        int modelCount = config.integer("bench.evaluate.models", 1);
        int repeats = config.integer("bench.repeats", 1);
        int batch = config.integer("evaluate.batch-size", 1);
        Path output = Path.of(config.string("bench.evaluate.output"));
        Path scratch = Files.createTempDirectory("vlmadapt-bench-evaluate-");
        try (RunDirectory run = RunDirectory.create(config, name())) {
            DatasetCatalog catalog = new DatasetCatalog(config);
            List<String> vocabulary = new ArrayList<>();
            for (String d : datasets) {
                vocabulary.addAll(catalog.info(d).classes());
            }
            List<String> models = new ArrayList<>();
            for (int m = 1; m <= modelCount; m++) {
                Path dir = scratch.resolve("model-" + m);
                RandomClip.write(PretrainTinyJob.architecture(config.section("pretrain-tiny.architecture"), 1),
                        vocabulary, m, dir);
                models.add(dir.toString());
            }
            JobConfig grid = config.with(Map.of("evaluate.models", json(models), "evaluate.datasets", json(datasets),
                    "evaluate.recompute", "true", "evaluate.origin", "bench", "tables.root",
                    scratch.resolve("tables").toString(), "output.root", scratch.resolve("runs").toString()));
            new EvaluateJob().run(grid.with(Map.of("run-id", "warm-up")));    // ingests, loads the models
            SparkSession spark = SparkSessions.getOrCreate(grid, name());
            TableStore store = new TableStore(spark, grid.string("tables.root"));
            Map<String, LabeledImages> data = new LinkedHashMap<>();
            long images = 0;
            for (String d : datasets) {
                data.put(d, EvaluateJob.images(grid, store, d, grid.string("evaluate.split"), "bench"));
                images += data.get(d).size();
            }
            List<ClipModel> loaded = new ArrayList<>();
            for (String m : models) {
                loaded.add(ClipModel.load(Path.of(m), Devices.resolve(config.string("device"))));
            }
            direct(catalog, loaded, data, batch);                              // warm-up
            double[] sparkRates = new double[repeats];
            double[] directRates = new double[repeats];
            JsonNode executors = null;
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                new EvaluateJob().run(grid.with(Map.of("run-id", "spark-" + r)));
                sparkRates[r] = images * models.size() / ((System.nanoTime() - start) / 1e9);
                executors = new ObjectMapper().readTree(scratch.resolve("runs/evaluate/spark-" + r + "/summary.json")
                        .toFile()).get("executors");
                start = System.nanoTime();
                direct(catalog, loaded, data, batch);
                directRates[r] = images * models.size() / ((System.nanoTime() - start) / 1e9);
                System.err.printf(Locale.ROOT, "[bench-evaluate] repeat %d: Spark %.0f images/s, direct %.0f images/s%n",
                        r + 1, sparkRates[r], directRates[r]);
            }
            for (ClipModel m : loaded) {
                m.close();
            }
            int maxLoads = 0;
            for (JsonNode e : executors) {
                maxLoads = Math.max(maxLoads, e.get("model_loads").asInt());
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("models", models.size());
            results.put("datasets", datasets);
            results.put("images_per_model", images);
            results.put("spark_master", spark.sparkContext().master());
            results.put("repeats", repeats);
            results.put("spark_images_per_second", Math.round(median(sparkRates)));
            results.put("direct_images_per_second", Math.round(median(directRates)));
            results.put("grid_spark_vs_direct_throughput",
                    Math.round(median(sparkRates) / median(directRates) * 1000) / 1000.0);
            // Loads per model in the executor that loaded most: 1.0 = each model once.
            results.put("model_loads_per_executor", (double) maxLoads / models.size());
            Files.createDirectories(output.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.toFile(), results);
            System.out.printf(Locale.ROOT, "grid_spark_vs_direct_throughput %.3f (goal >= 0.9), "
                    + "model_loads_per_executor %.2f (goal 1); written to %s%n",
                    results.get("grid_spark_vs_direct_throughput"), results.get("model_loads_per_executor"), output);
            return run.commit(config, results);
        } finally {
            StagedDirectory.deleteRecursively(scratch);
        }
    }

    /** The grid in this thread, on models loaded beforehand (as Spark's executors keep theirs). */
    private static void direct(DatasetCatalog catalog, List<ClipModel> models, Map<String, LabeledImages> data,
            int batch) {
        for (ClipModel model : models) {
            for (Map.Entry<String, LabeledImages> e : data.entrySet()) {
                DatasetCatalog.DatasetInfo info = catalog.info(e.getKey());
                ZeroShotEvaluator.evaluate(model, e.getValue(), info.classes(), info.templates(), batch, n -> { });
            }
        }
    }

    private static String json(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            b.append(b.length() > 1 ? ", " : "").append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return b.append(']').toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
