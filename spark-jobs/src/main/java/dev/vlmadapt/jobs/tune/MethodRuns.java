package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import dev.vlmadapt.runtime.prompt.Parameterization;
import dev.vlmadapt.runtime.prompt.PromptSpace;
import dev.vlmadapt.runtime.tune.CoopTrainer;
import dev.vlmadapt.runtime.tune.MethodSpec;
import dev.vlmadapt.runtime.tune.QueryEvaluator;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** The three kinds of tune run: the zero-shot prompt, CoOp's gradient training, and a forward-only optimizer. */
final class MethodRuns {
    /**
     * What a run produced.
     *
     * @param metrics the measurements
     * @param reportedIndex the index in {@code metrics} of the reported parameters' measurement
     * @param w the reported optimizer parameters (null for zero-shot and CoOp)
     * @param context the reported context (n·D; null when it follows from {@code w}, or for zero-shot)
     * @param space the prompt space of {@code w} (null without one)
     * @param optimizer the optimizer (null without one)
     * @param otherTest the test accuracy under the other report (null for zero-shot): the optimizer's path does not
     *     depend on the report, so one run serves both protocols
     * @param executors what the executors reported (null when no query ran on Spark)
     */
    record Tuned(List<TuningLoop.Metrics> metrics, int reportedIndex, double[] w, float[] context, PromptSpace space,
            ZoOptimizer optimizer, DoubleSupplier otherTest, List<Map<String, Object>> executors) {

        /** @return the reported context: the optimizer's parameters mapped through a text prompt space */
        float[] reportedContext() {
            return space instanceof Parameterization p ? p.context(w) : context;
        }
    }

    private MethodRuns() {
    }

    static Tuned zeroShot(Measurer measurer) {
        double[] m = measurer.apply(null);
        return new Tuned(List.of(new TuningLoop.Metrics(0, "zeroshot", 0, m[0], m[1], m[2], 0, 0, Double.NaN)), 0,
                null, null, null, null, null, null);
    }

    static Tuned coop(JobConfig config, Measurer measurer, TuningLoop.Report report, String label, long seed) {
        List<TuningLoop.Metrics> metrics = new ArrayList<>();
        double[] m0 = measurer.apply(null);
        metrics.add(new TuningLoop.Metrics(0, "coop", 0, m0[0], m0[1], m0[2], 0, 0, Double.NaN));
        CoopTrainer.Settings cs = TuneJob.coopSettings(config, seed);
        int every = config.integer("tune.coop.eval-every", 1);
        TuneProgress progress = new TuneProgress(label, cs.epochs(), config.nonNegative("progress-seconds"));
        long start = System.nanoTime();
        float[][] best = {measurer.initialContext()};
        int[] bestRow = {0};
        float[] last = measurer.coop(cs, (epoch, ctx, loss, recomputed) -> {
            progress.tick(epoch, "epochs");
            if (epoch % every == 0 || epoch == cs.epochs()) {
                double[] m = measurer.measureContext(ctx);
                TuningLoop.Metrics row = new TuningLoop.Metrics(epoch, "coop", epoch, m[0], m[1], m[2],
                        (System.nanoTime() - start) / 1e9, recomputed, Double.NaN);
                metrics.add(row);
                progress.update(row);
                if (m[2] > metrics.get(bestRow[0]).valAcc()) {
                    best[0] = ctx;
                    bestRow[0] = metrics.size() - 1;
                }
            }
        });
        boolean reportBest = report == TuningLoop.Report.BEST_VAL;
        float[] other = reportBest ? last : best[0];
        return new Tuned(metrics, reportBest ? bestRow[0] : metrics.size() - 1, null, reportBest ? best[0] : last,
                null, null, () -> measurer.testContext(other), null);
    }

    /**
     * A forward-only optimizer's run, resumed from its checkpoint when one exists.
     *
     * @param config the job's configuration
     * @param spark the session (for the sharded evaluator)
     * @param task the run's task, broadcast to executors
     * @param measurer the driver's measurements
     * @param spec the method
     * @param loop budget, intervals, report
     * @param checkpoints where the run's checkpoint lives
     * @param runId the run's id (for messages)
     * @param label the progress line's label
     * @return what the run produced
     */
    static Tuned zeroOrder(JobConfig config, SparkSession spark, TuneTask task, Measurer measurer, MethodSpec spec,
            TuningLoop.Settings loop, Checkpoints checkpoints, String runId, String label) {
        PromptSpace space = measurer.space(spec);
        ZoOptimizer optimizer = spec.optimizer(space);
        JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
        SparkEvaluator sharded = config.string("tune.evaluator").equals("local") ? null
                : new SparkEvaluator(jsc, jsc.broadcast(task), jsc.defaultParallelism(), "tune " + label);
        QueryEvaluator evaluator = sharded == null ? measurer.local(task.groupSize()) : sharded;
        String hash = TuneJob.resultHash(config);
        TuningLoop.Checkpoint resume = resume(checkpoints, hash, runId);
        TuneProgress progress = new TuneProgress(label, loop.budget(), config.nonNegative("progress-seconds"));
        QueryEvaluator reporting = progress.counting(evaluator, resume == null ? 0 : resume.queries());
        TuningLoop.Outcome outcome = TuningLoop.run(optimizer, reporting, measurer, loop, resume,
                new TuningLoop.Listener() {
                    @Override
                    public void measured(TuningLoop.Metrics m) {
                        progress.update(m);
                    }

                    @Override
                    public void checkpoint(TuningLoop.Checkpoint c) {
                        try {
                            checkpoints.save(new Checkpoints.Saved(hash, c));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException("cannot write checkpoint " + checkpoints.file()
                                    + ": " + e.getMessage(), e);
                        }
                    }
                });
        double[] other = loop.report() == TuningLoop.Report.BEST_VAL ? outcome.last() : outcome.best();
        return new Tuned(outcome.metrics(), outcome.reportedIndex(), outcome.reported(), null, space, optimizer,
                () -> measurer.test(other), sharded == null ? null : sharded.executors().rows());
    }

    /** @return the run's checkpoint, or null; one made with other result-determining settings is refused */
    private static TuningLoop.Checkpoint resume(Checkpoints checkpoints, String hash, String runId) {
        Checkpoints.Saved saved;
        try {
            saved = checkpoints.load();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read checkpoint " + checkpoints.file() + ": "
                    + e.getMessage(), e);
        }
        if (saved == null) {
            return null;
        }
        if (!saved.configHash().equals(hash)) {
            throw new IllegalArgumentException("run " + runId + " has a checkpoint (" + checkpoints.file()
                    + ") from another configuration; use another vlmadapt.run-id or delete the checkpoint");
        }
        TuningLoop.Checkpoint resume = saved.checkpoint();
        System.err.printf(Locale.ROOT, "[tune] resuming %s from step %d (%d queries)%n", runId,
                resume.metrics().isEmpty() ? 0 : resume.metrics().get(resume.metrics().size() - 1).step(),
                resume.queries());
        return resume;
    }
}
