package dev.vlmadapt.jobs.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.HadoopFs;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.executor.ExecutorReport;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.image.ImageCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Trains the hub's missing models as one Spark job, one model per task ({@code hub.models}; each entry's
 * {@code pretrain-tiny} settings over the defaults). Each model lands in {@code <hub.root>/<name>/} in the
 * Hugging Face layout with a model card ({@code card.json}), moved into place only when complete; models already
 * there are kept, so an interrupted build resumes. Training images come from the driver in one broadcast per
 * dataset.
 */
public final class HubBuildJob implements Job {
    @Override
    public String name() {
        return "hub-build";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        String root = config.string("hub.root");
        Config declared = config.section("hub.models");
        List<String> only = config.strings("hub.only");
        Configuration hadoop = HadoopFs.configuration(config);
        List<HubRecipe> pending = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String name : new TreeSet<>(declared.root().keySet())) {
            if (!only.isEmpty() && !only.contains(name)) {
                continue;
            }
            HubRecipe recipe = recipe(config, name);
            Path card = new Path(new Path(root, name), "card.json");
            if (HadoopFs.of(card, hadoop).exists(card)) {
                kept.add(name);
            } else {
                pending.add(recipe);
            }
        }
        for (String name : only) {
            if (!declared.hasPath("\"" + name + "\"")) {
                throw new IllegalArgumentException("hub.only: no model '" + name + "' in hub.models "
                        + new TreeSet<>(declared.root().keySet()));
            }
        }
        System.err.printf(Locale.ROOT, "[hub-build] %d models to train, %d already built (%s)%n", pending.size(),
                kept.size(), kept);
        try (RunDirectory run = RunDirectory.create(config, name())) {
            List<Map<String, Object>> cards = new ArrayList<>();
            ExecutorReport report = null;
            if (!pending.isEmpty()) {
                SparkSession spark = SparkSessions.getOrCreate(config, name());
                JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
                Map<String, Broadcast<TrainingData>> data = broadcastData(config, pending, jsc);
                report = ExecutorReport.register(spark.sparkContext());
                Map<String, Integer> sizes = new LinkedHashMap<>();
                data.forEach((d, b) -> sizes.put(d, b.value().labels().length));
                List<HubTask> tasks = new ArrayList<>();
                for (HubRecipe r : HubRecipe.longestFirst(pending, sizes)) {
                    List<Broadcast<TrainingData>> mine = new ArrayList<>();
                    r.datasets().forEach(d -> mine.add(data.get(d)));
                    tasks.add(new HubTask(r, mine, root, config.string("device"), run.runId(),
                            new LinkedHashMap<>(hadoopSettings(hadoop))));
                }
                ExecutorReport executors = report;
                dev.vlmadapt.jobs.SparkStatus.describe(jsc.sc(), "hub-build: training " + tasks.size()
                        + " models, one task each (each task prints its own progress)");
                List<String> built = jsc.parallelize(tasks, tasks.size()).map(t -> t.train(executors)).collect();
                ObjectMapper json = new ObjectMapper();
                for (String c : built) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> card = json.readValue(c, Map.class);
                    cards.add(card);
                    System.out.printf(Locale.ROOT, "%-28s %8d parameters  %6.3f GFLOPs/image  trained %6.0f s  final "
                            + "loss %.4f%n", card.get("name"), ((Number) card.get("parameters")).longValue(),
                            ((Number) card.get("gflops_image")).doubleValue(),
                            ((Number) card.get("train_seconds")).doubleValue(),
                            ((Number) card.get("final_loss")).doubleValue());
                }
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("root", root);
            results.put("built", cards);
            results.put("kept", kept);
            results.put("executors", report == null ? List.of() : report.rows());
            return run.commit(config, results);
        }
    }

    /**
     * @param config the job config
     * @param name a model of {@code hub.models}
     * @return its recipe: the entry's pretrain-tiny settings over the defaults
     */
    static HubRecipe recipe(JobConfig config, String name) {
        Config entry = config.section("hub.models").getConfig("\"" + name + "\"");
        checkKeys(name, entry, config.section("pretrain-tiny"));
        Config settings = (entry.hasPath("pretrain-tiny") ? entry.getConfig("pretrain-tiny")
                : com.typesafe.config.ConfigFactory.empty()).withFallback(config.section("pretrain-tiny"));
        return HubRecipe.of(name, settings, config.integer("seed", 0));
    }

    /** An entry may set pretrain-tiny keys that exist (and its own seed): a typo is an error, not a default. */
    private static void checkKeys(String name, Config entry, Config defaults) {
        List<String> unknown = new ArrayList<>();
        for (String key : new TreeSet<>(entry.entrySet().stream().map(Map.Entry::getKey).toList())) {
            String inner = key.startsWith("pretrain-tiny.") ? key.substring("pretrain-tiny.".length()) : null;
            if (inner == null || !(inner.equals("seed") || defaults.hasPath(inner))) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("vlmadapt.hub.models." + name + ": unknown keys " + unknown
                    + "; an entry sets pretrain-tiny.* keys (`bin/vlmadapt pretrain-tiny --help`) and pretrain-tiny.seed");
        }
    }

    /** Each dataset's training images, once. */
    private static Map<String, Broadcast<TrainingData>> broadcastData(JobConfig config, List<HubRecipe> pending,
            JavaSparkContext jsc) throws Exception {
        DatasetCatalog catalog = new DatasetCatalog(config);
        Map<String, Broadcast<TrainingData>> out = new LinkedHashMap<>();
        for (HubRecipe r : pending) {
            for (String d : r.datasets()) {
                if (out.containsKey(d)) {
                    continue;
                }
                DatasetCatalog.DatasetInfo info = catalog.info(d);
                LabeledImages train = catalog.load(d, "train");
                if (train.size() == 0) {
                    throw new IllegalArgumentException("hub model " + r.name() + ": dataset " + d
                            + " has no training images");
                }
                List<byte[]> pngs = new ArrayList<>(train.size());
                train.images().forEach(i -> pngs.add(ImageCodec.encodePng(i)));
                System.err.printf(Locale.ROOT, "[hub-build] %s: %d training images, %d classes%n", d, train.size(),
                        info.classes().size());
                out.put(d, jsc.broadcast(new TrainingData(d, pngs, train.labels(), info.classes(),
                        info.templates(), catalog.extraCaptions(d))));
            }
        }
        return out;
    }

    /** The S3A and file system settings the tasks need to write the hub root. */
    private static Map<String, String> hadoopSettings(Configuration hadoop) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : hadoop) {
            if (e.getKey().startsWith("fs.")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    static FileSystem fs(Path p, Map<String, String> settings) throws java.io.IOException {
        Configuration conf = new Configuration();
        settings.forEach(conf::set);
        return HadoopFs.of(p, conf);
    }

    static String cardJson(Map<String, Object> card) throws java.io.IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(card);
    }
}
