package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.executor.ExecutorReport;
import dev.vlmadapt.jobs.executor.ModelCache;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.jobs.executor.TaskDevice;
import dev.vlmadapt.runtime.zeroshot.ZeroShotEvaluator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * MLL's model labels over the hub: for every model, each sample image's similarity to every node of the semantic
 * graph ({@link LabelTable}). One Spark task per model; each model's labels are published as its task finishes,
 * so an interrupted run resumes with the models not labelled yet ({@code select.mll.relabel} redoes them).
 */
public final class LabelJob implements Job {
    @Override
    public String name() {
        return "label";
    }

    private record ModelTask(String name, ModelRef ref) implements Serializable {
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        String graphName = config.string("select.mll.graph");
        int perClass = config.integer("select.mll.images-per-class", 1);
        List<String> templates = config.strings("select.mll.node-templates");
        int batch = config.integer("evaluate.batch-size", 1);
        SparkSession spark = SparkSessions.getOrCreate(config, name());
        TableStore store = new TableStore(spark, config.string("tables.root"));
        try (RunDirectory run = RunDirectory.create(config, name())) {
            GraphTable.Loaded graph = GraphTable.read(store, graphName);
            SampleClasses classes = SampleClasses.of(config.strings("select.mll.sample-datasets"),
                    new DatasetCatalog(config), store);
            SampleImages sample = SampleImages.load(store, classes, perClass);
            List<String> words = SampleImages.probeWords(graph.graph(), classes);
            List<ModelTask> todo = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (String dir : models(config, spark)) {
                ModelRef ref = ModelRef.of(dir, spark.sparkContext().hadoopConfiguration());
                Path labelled = new Path(store.partition(LabelTable.TABLE, LabelTable.partition(graphName,
                        ref.name())));
                boolean done = labelled.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(labelled);
                if (done && !config.bool("select.mll.relabel")) {
                    skipped.add(ref.name());
                } else {
                    todo.add(new ModelTask(ref.name(), ref));
                }
            }
            System.err.printf(Locale.ROOT, "[label] %d models to label on %d sample images × %d graph nodes "
                    + "(%d already labelled: %s)%n", todo.size(), sample.ids().size(), words.size(), skipped.size(),
                    skipped);
            JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
            Broadcast<SampleImages> images = jsc.broadcast(sample);
            ExecutorReport report = ExecutorReport.register(spark.sparkContext());
            String device = config.string("device");
            Map<String, Object> seconds = new LinkedHashMap<>();
            long start = System.nanoTime();
            if (!todo.isEmpty()) {
                dev.vlmadapt.jobs.SparkStatus.describe(spark.sparkContext(), "label: " + todo.size()
                        + " models on " + sample.ids().size() + " sample images, one task each");
                Iterator<Tuple2<String, float[][]>> it = jsc.parallelize(todo, todo.size()).map(t -> {
                    var decoded = images.value().decode();
                    float[][] sims = ModelCache.withModel(t.ref(), TaskDevice.current(device), model -> {
                        try {
                            return ZeroShotEvaluator.cosines(model, decoded, words, templates, batch);
                        } finally {
                            report.add(ExecutorReport.Use.ofThisTask(t.ref()));
                        }
                    });
                    return new Tuple2<>(t.name(), sims);
                }).toLocalIterator();
                int done = 0;
                while (it.hasNext()) {
                    Tuple2<String, float[][]> labelled = it.next();
                    store.publish(spark.createDataFrame(LabelTable.rows(sample, labelled._2()), LabelTable.SCHEMA)
                            .coalesce(1), LabelTable.TABLE, LabelTable.partition(graphName, labelled._1()),
                            run.runId());
                    done++;
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    seconds.put(labelled._1(), elapsed);
                    System.err.printf(Locale.ROOT, "[label] %s labelled (%d/%d, %.0f s, ETA %.0f s)%n",
                            labelled._1(), done, todo.size(), elapsed, elapsed / done * (todo.size() - done));
                }
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("graph", graphName);
            results.put("nodes", words.size());
            results.put("sample_images", sample.perDataset());
            results.put("labelled", seconds);
            results.put("already_labelled", skipped);
            results.put("executors", report.rows());
            results.put("table", store.table(LabelTable.TABLE));
            return run.commit(config, results);
        }
    }

    /** {@code select.mll.models}, or every model directory (with a config.json) under {@code hub.root}. */
    static List<String> models(JobConfig config, SparkSession spark) throws java.io.IOException {
        List<String> given = config.strings("select.mll.models");
        if (!given.isEmpty()) {
            return given;
        }
        Path root = new Path(config.string("hub.root"));
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        List<String> out = new ArrayList<>();
        if (fs.exists(root)) {
            for (FileStatus s : fs.listStatus(root)) {
                if (s.isDirectory() && fs.exists(new Path(s.getPath(), "config.json"))) {
                    out.add(s.getPath().toString());
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no models: select.mll.models is empty and " + root + " holds no "
                    + "model directory; build the hub with `make hub` or list model directories");
        }
        out.sort(null);
        return out;
    }
}
