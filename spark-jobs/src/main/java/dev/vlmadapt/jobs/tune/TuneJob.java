package dev.vlmadapt.jobs.tune;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import dev.vlmadapt.jobs.Devices;
import dev.vlmadapt.jobs.HadoopFs;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.executor.TorchThreads;
import dev.vlmadapt.jobs.zeroshot.ResultTable;
import dev.vlmadapt.runtime.optim.Directions;
import dev.vlmadapt.runtime.plan.RunPlan;
import dev.vlmadapt.runtime.optim.SharpZo;
import dev.vlmadapt.runtime.optim.Spsa;
import dev.vlmadapt.runtime.prompt.VisualPrompt;
import dev.vlmadapt.runtime.tune.CoopTrainer;
import dev.vlmadapt.runtime.tune.MethodSpec;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A forward-only tuning run: reads one seed's few-shot split and its cached features, runs the method with its
 * queries sharded over the executors (or in this process), and writes {@code metrics.parquet},
 * {@code parameters.safetensors} (w and the context vectors) and {@code summary.json}. Checkpoints let a
 * killed run continue under the same run id.
 */
public final class TuneJob implements Job {
    /** Methods the job runs: the forward-only ones and the zero-shot baseline. */
    public static final List<String> METHODS = List.of("sharpzo", "bbt", "zip", "blackvip", "coop", "zeroshot");

    @Override
    public String name() {
        return "tune";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        if (config.raw().getBoolean("plan.enabled")) {
            try (TuneSetup setup = TuneSetup.open(config)) {
                // What the run would pay before its first query: the JVM, Spark and loading, as measured so far.
                double setupSeconds = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
                RunPlan plan = TunePlanner.plan(config, setup, setupSeconds);
                System.out.println(plan.render());
                return plan.summary();
            }
        }
        try (TuneSetup setup = TuneSetup.open(config); RunDirectory run = RunDirectory.create(config, name())) {
            String method = setup.method;
            String dataset = setup.dataset;
            int k = setup.k;
            int seed = setup.seed;
            TuningLoop.Settings loop = setup.loop;
            SparkSession spark = setup.spark;
            String modelId = setup.modelId;
            TuneTask task = setup.task;
            Measurer measurer = setup.measurer;
            MethodSpec spec = setup.spec;
            Checkpoints checkpoints = new Checkpoints(HadoopFs.of(new org.apache.hadoop.fs.Path(
                    config.string("output.root")), HadoopFs.configuration(config)), config.string("output.root"),
                    run.runId());
            double zeroShot = measurer.test(null);
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("method", method);
            results.put("dataset", dataset);
            results.put("model", modelId);
            results.put("k", k);
            results.put("zero_shot_acc", zeroShot);
            String label = method + " " + dataset;
            MethodRuns.Tuned tuned = switch (method) {
                case "zeroshot" -> MethodRuns.zeroShot(measurer);
                case "coop" -> MethodRuns.coop(config, measurer, loop.report(), label, seed);
                default -> MethodRuns.zeroOrder(config, spark, task, measurer, spec, loop, checkpoints,
                        run.runId(), label);
            };
            List<TuningLoop.Metrics> metrics = tuned.metrics();
            double[] w = tuned.w();
            float[] context = tuned.reportedContext();
            if (tuned.executors() != null) {
                results.put("executors", tuned.executors());
            }
            TuningLoop.Metrics last = metrics.get(metrics.size() - 1);
            TuningLoop.Metrics reported = metrics.get(tuned.reportedIndex());
            // Zero-shot's test accuracy is already measured.
            double testAcc = w != null ? measurer.test(w) : context != null ? measurer.testContext(context) : zeroShot;
            results.put("seed", seed);
            results.put("queries", last.queries());
            results.put("report", config.string("tune.report"));
            results.put("reported_step", reported.step());
            results.put("reported_queries", reported.queries());
            results.put("val_acc", reported.valAcc());
            results.put("test_acc", testAcc);
            if (tuned.otherTest() != null) {
                boolean best = loop.report() == TuningLoop.Report.BEST_VAL;
                double other = tuned.otherTest().getAsDouble();
                results.put("test_acc_last", best ? other : testAcc);
                results.put("test_acc_best_val", best ? testAcc : other);
            }
            results.put("train_acc", reported.trainAcc());
            results.put("test_at", testPoints(metrics, loop.testAt()));
            results.put("change_point", tuned.optimizer() instanceof SharpZo s && s.changePoint() >= 0
                    ? s.changePoint() : null);
            results.put("steps", last.step());
            results.put("tuning_seconds", Math.round(last.elapsedSeconds() * 1000) / 1000.0);
            // Non-zero only after a transient fault: queries (CoOp: batches) recomputed after a non-finite loss.
            results.put(method.equals("coop") ? "recomputed_batches" : "recomputed_queries", last.recomputed());
            results.put("result_hash", resultHash(config));

            MetricsFile.write(run.work().resolve("metrics.parquet"), metrics);
            if (tuned.space() instanceof VisualPrompt visual) {
                writeVisualPrompt(run.work().resolve("parameters.safetensors"), w, visual);
            } else if (context != null) {
                writeParameters(run.work().resolve("parameters.safetensors"), w, context, measurer.contextShape());
            }
            Map<String, Object> summary = run.commit(config, results);
            checkpoints.delete();
            System.out.println(ResultTable.render(List.of("method", "dataset", "seed", "queries", "zero-shot",
                    "val", "test"), List.of(List.of(method, dataset, Integer.toString(seed),
                    Long.toString(last.queries()), pct(zeroShot), pct(reported.valAcc()), pct(testAcc)))));
            System.out.println("summary: " + run.path() + "/summary.json");
            return summary;
        }
    }

    /**
     * The plan of one tune run ({@code tune --plan}), for callers that plan many runs in one session.
     *
     * @param config the run's configuration
     * @param setupSeconds what the run pays before loading its data (0 inside an application already running)
     * @return the plan; nothing is written
     * @throws java.io.IOException if the run's tables cannot be read
     */
    public static RunPlan plan(JobConfig config, double setupSeconds) throws java.io.IOException {
        long start = System.nanoTime();
        try (TuneSetup setup = TuneSetup.open(config)) {
            return TunePlanner.plan(config, setup, setupSeconds + (System.nanoTime() - start) / 1e9);
        }
    }

    static MethodSpec methodSpec(JobConfig config, String method, long seed) {
        // Every value is range-checked here, before any work, with the key named in the message.
        String sub = method.equals("bbt") ? "tune.bbt." : "tune.sharpzo.";
        int population = config.integer(sub + "population", 2);
        double sigma = config.number(sub + "sigma", 0);
        String z = "tune.sharpzo.";
        double prune = config.nonNegative(z + "prune-ratio");
        if (prune >= 1) {
            throw new IllegalArgumentException("vlmadapt.tune.sharpzo.prune-ratio = " + prune + "; expected [0, 1)");
        }
        SharpZo.Settings sharp = method.equals("bbt")
                ? new SharpZo.Settings(sigma, population, 0, false, 0, -1, 0, 0, 0, 0, 0, 1, 0, false, seed)
                : new SharpZo.Settings(sigma, population, config.nonNegative(z + "rho"), true,
                        config.number(z + "mu-cge", 0), config.integer(z + "change-point", 0),
                        config.integer(z + "patience", 1), config.nonNegative(z + "min-improvement"),
                        config.number(z + "mu-cge-stage2", 0), config.number(z + "mu-rge", 0),
                        config.number(z + "learning-rate", 0), config.integer(z + "mask-every", 1), prune,
                        config.raw().getBoolean(z + "keep-highest"), seed);
        String p = "tune.zip.";
        String v = "tune.blackvip.";
        boolean blackVip = method.equals("blackvip");
        // ZIP: Rademacher directions, clipped at √δ (-1 below), no momentum; BlackVIP's SPSA-GC: ±U[0.5, 1]
        // directions, no clipping, momentum.
        String s = blackVip ? v : p;
        Spsa.Settings spsa = new Spsa.Settings(config.number(s + "a", 0), config.number(s + "c", 0),
                config.nonNegative(s + "alpha"), config.nonNegative(s + "gamma"),
                config.nonNegative(s + "offset"), config.integer(s + "draws", 1),
                blackVip ? Directions.Kind.SIGNED_UNIFORM : Directions.Kind.RADEMACHER, blackVip ? 0 : -1,
                blackVip ? config.nonNegative(v + "momentum") : 0, seed);
        if (spsa.momentum() >= 1) {
            throw new IllegalArgumentException("vlmadapt.tune.blackvip.momentum = " + spsa.momentum()
                    + "; expected [0, 1)");
        }
        VisualPrompt.Settings visual;
        try {
            visual = new VisualPrompt.Settings(config.integer(v + "code-dim", 1), config.integer(v + "trigger-dim", 0),
                    config.integer(v + "grid", 1), config.number(v + "epsilon", 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vlmadapt.tune.blackvip: " + e.getMessage(), e);
        }
        return new MethodSpec(method, config.integer(sub + "subspace-dim", 1), config.number(sub + "subspace-scale", 0),
                config.integer(p + "width", 1), config.integer(p + "rank", 1), visual, sharp, spsa, seed);
    }

    /**
     * A hash of the settings that determine a run's result (seed, model, tables, the tune section without the
     * switches that only change how it runs), so a resumed run may use other credentials or masters. The device
     * kind and PyTorch's intra-op thread count are part of it, as resolved here: both change how sums are split
     * and so the rounding ({@code threads = 0} hashes as the count it resolves to).
     */
    public static String resultHash(JobConfig config) {
        Map<String, String> keys = new java.util.TreeMap<>();
        for (String k : List.of("seed", "model.dir", "model.id", "tables.root")) {
            keys.put(k, config.string(k));
        }
        int threads = config.integer("threads", 0);
        keys.put("threads", Integer.toString(threads > 0 ? threads : TorchThreads.current()));
        keys.put("device", resultDevice(config));
        config.section("tune").entrySet().forEach(e -> {
            if (!List.of("evaluator", "fail-first-attempts", "checkpoint-every", "max-chain").contains(e.getKey())) {
                keys.put("tune." + e.getKey(), e.getValue().render());
            }
        });
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(keys.toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static TuningLoop.Settings loopSettings(JobConfig config) {
        String report = config.string("tune.report");
        List<Long> testAt = config.raw().getLongList("tune.test-at");
        for (long t : testAt) {
            if (t <= 0) {
                throw new IllegalArgumentException("vlmadapt.tune.test-at contains " + t + "; expected query counts > 0");
            }
        }
        try {
            return new TuningLoop.Settings(config.integer("tune.budget", 0), config.integer("tune.eval-every", 1),
                    config.integer("tune.checkpoint-every", 0), config.integer("tune.max-chain", 0),
                    TuningLoop.Report.parse(report), testAt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vlmadapt.tune." + e.getMessage(), e);
        }
    }

    /**
     * @return the test points of a run: the configured point (budget), the queries spent when it was measured,
     *     validation accuracy of the solution, test accuracy of the parameters reported then, seconds
     */
    private static List<Map<String, Object>> testPoints(List<TuningLoop.Metrics> metrics, List<Long> testAt) {
        List<Map<String, Object>> points = new java.util.ArrayList<>();
        for (TuningLoop.Metrics m : metrics) {
            if (!Double.isNaN(m.testAcc())) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("budget", testAt.stream().filter(t -> t <= m.queries()).mapToLong(Long::longValue).max()
                        .orElse(m.queries()));
                p.put("queries", m.queries());
                p.put("val_acc", m.valAcc());
                p.put("test_acc", m.testAcc());
                p.put("elapsed_s", Math.round(m.elapsedSeconds() * 1000) / 1000.0);
                points.add(p);
            }
        }
        return points;
    }

    /** @return the kind of device the queries run on: a GPU when Spark assigns them, else the setting's */
    private static String resultDevice(JobConfig config) {
        String gpuAmount = "spark.conf.\"spark.task.resource.gpu.amount\"";
        if (config.raw().hasPath(gpuAmount) && Double.parseDouble(config.raw().getString(gpuAmount)) > 0) {
            return "gpu";
        }
        return Devices.resolve(config.string("device")).getDeviceType();
    }

    static CoopTrainer.Settings coopSettings(JobConfig config, long seed) {
        Config c = config.section("tune.coop");
        return new CoopTrainer.Settings(c.getDouble("learning-rate"), c.getDouble("momentum"),
                c.getDouble("weight-decay"), c.getInt("batch-size"), c.getInt("epochs"),
                c.getDouble("warmup-learning-rate"), seed);
    }

    /** {@code w} (the optimizer's parameters; absent for CoOp, whose parameters are the context) and {@code context}. */
    private static void writeParameters(java.nio.file.Path file, double[] w, float[] context, Shape shape)
            throws java.io.IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                OutputStream out = Files.newOutputStream(file)) {
            NDList list = new NDList();
            if (w != null) {
                NDArray wa = m.create(w);
                wa.setName("w");
                list.add(wa);
            }
            NDArray ca = m.create(context, shape);
            ca.setName("context");
            list.add(ca);
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }

    /** BlackVIP's w and its parts (trigger, decoder weight and bias, the fixed bottleneck R). */
    private static void writeVisualPrompt(java.nio.file.Path file, double[] w, VisualPrompt prompt)
            throws java.io.IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                OutputStream out = Files.newOutputStream(file)) {
            NDList list = new NDList();
            NDArray wa = m.create(w);
            wa.setName("w");
            list.add(wa);
            prompt.parts(w).forEach((name, part) -> {
                NDArray a = m.create(part.values(), new Shape(part.shape()));
                a.setName(name);
                list.add(a);
            });
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
