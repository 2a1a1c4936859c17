package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.tune.MethodSpec;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * What a tune run works with, checked and loaded: its settings (every value range-checked with its key named
 * before any work), the session, the model, the three splits' features, the executors' task and the driver's
 * measurements. A run and its plan ({@code tune --plan}) start from the same set-up.
 */
final class TuneSetup implements AutoCloseable {
    final String method;
    final String dataset;
    final int k;
    final int seed;
    final TuningLoop.Settings loop;
    /** The forward-only method, or null for CoOp and zero-shot. */
    final MethodSpec spec;
    final SparkSession spark;
    final ModelRef model;
    final String modelId;
    final ClipConfig arch;
    final TuneData train;
    final TuneData val;
    final TuneData test;
    final TuneTask task;
    final Measurer measurer;

    private TuneSetup(JobConfig config, String method, MethodSpec spec, TuningLoop.Settings loop, int groupSize)
            throws java.io.IOException {
        this.method = method;
        this.spec = spec;
        this.loop = loop;
        dataset = config.string("tune.dataset");
        k = config.integer("tune.shots", 1);
        seed = config.integer("seed", 0);
        int view = config.integer("tune.train-view", 0);
        boolean pixels = spec != null && spec.visualPrompt();
        List<String> classes = new DatasetCatalog(config).info(dataset).classes();
        spark = SparkSessions.getOrCreate(config, "tune");
        TableStore store = new TableStore(spark, config.string("tables.root"));
        model = ModelRef.of(config.string("model.dir"), spark.sparkContext().hadoopConfiguration());
        modelId = model.id(config.string("model.id"));
        arch = model.config(spark.sparkContext().hadoopConfiguration());
        if (pixels && spec.visual().grid() > arch.imageSize()) {
            throw new IllegalArgumentException("vlmadapt.tune.blackvip.grid = " + spec.visual().grid()
                    + " is larger than the model's images (" + arch.imageSize() + " px)");
        }
        train = TuneData.load(store, modelId, dataset, k, seed, "train", view, arch, pixels);
        val = TuneData.load(store, modelId, dataset, k, seed, "val", 0, arch, pixels);
        test = TuneData.load(store, modelId, dataset, k, seed, "test", 0, arch, pixels);
        System.err.printf(Locale.ROOT, "[tune] %s on %s (k=%d, seed %d): %d train, %d val, %d test features of "
                + "model %s%n", method, dataset, k, seed, train.set().size(), val.set().size(), test.set().size(),
                modelId);
        task = new TuneTask(UUID.randomUUID().toString(), model, config.string("device"), classes,
                config.string("tune.init-text"), train.set(), spec, groupSize,
                config.raw().getBoolean("tune.fail-first-attempts"));
        measurer = new Measurer(task, dataset, val.set(), test.set());
    }

    /**
     * Checks every setting (failing before any work, the key named) and then loads the run's data.
     *
     * @param config the job's configuration
     * @return the loaded set-up; close it to free the objectives
     * @throws java.io.IOException if a table cannot be read
     */
    static TuneSetup open(JobConfig config) throws java.io.IOException {
        String method = config.string("tune.method");
        if (!TuneJob.METHODS.contains(method)) {
            throw new IllegalArgumentException("vlmadapt.tune.method = '" + method + "'; expected one of "
                    + TuneJob.METHODS);
        }
        int seed = config.integer("seed", 0);
        TuningLoop.Settings loop = TuneJob.loopSettings(config);
        int groupSize = config.integer("tune.group-size", 1);
        String evaluatorKind = config.string("tune.evaluator");  // read by MethodRuns; checked here before work
        if (!List.of("spark", "local").contains(evaluatorKind)) {
            throw new IllegalArgumentException("vlmadapt.tune.evaluator = '" + evaluatorKind
                    + "'; expected spark or local");
        }
        MethodSpec spec = MethodSpec.METHODS.contains(method) ? TuneJob.methodSpec(config, method, seed) : null;
        if (spec != null && spec.visualPrompt() && config.integer("tune.train-view", 0) != 0) {
            throw new IllegalArgumentException("vlmadapt.tune.train-view = " + config.integer("tune.train-view", 0)
                    + "; blackvip prompts the plain training images, so it needs view 0");
        }
        return new TuneSetup(config, method, spec, loop, groupSize);
    }

    @Override
    public void close() {
        task.release();
        measurer.close();
    }
}
