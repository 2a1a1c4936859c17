package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.runtime.clip.ClipArchitectures;
import dev.vlmadapt.runtime.optim.Directions;
import dev.vlmadapt.runtime.optim.Perturbation;
import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.plan.CostModel;
import dev.vlmadapt.runtime.plan.QueryFlops;
import dev.vlmadapt.runtime.plan.QuerySchedule;
import dev.vlmadapt.runtime.plan.RunPlan;
import dev.vlmadapt.runtime.prompt.PromptSpace;
import dev.vlmadapt.runtime.tune.CoopTrainer;
import dev.vlmadapt.runtime.tune.QueryEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code tune --plan}: the run's schedule (its real loop against stand-in losses), FLOPs from the model's shape,
 * and a short calibration on the run's own evaluator (a few passes of real queries over the run's training
 * features) that prices the schedule on the current master. Nothing is written.
 */
final class TunePlanner {
    /**
     * Passes timed per size, at most; the fastest is kept. A fresh JVM still compiles its hot code and PyTorch
     * still sizes its buffers during the first passes, which a long run amortises: the fastest of a few passes
     * after a warm-up is the steady cost.
     */
    private static final int REPEATS = 5;
    /** Steps of the real chain timed for methods that chain from their first step, at most. */
    private static final int CHAIN_STEPS = 20;
    /**
     * Seconds each part of the calibration aims at: passes are repeated (and chains stepped) fewer times when one
     * takes long (BlackVIP's image-tower queries), so that a plan stays short next to its run.
     */
    private static final double PART_SECONDS = 1.5;

    private TunePlanner() {
    }

    /**
     * @param config the run's configuration
     * @param s the run's set-up (loaded)
     * @param setupSeconds what the run pays before its first query (start-up, loading)
     * @return the plan
     */
    static RunPlan plan(JobConfig config, TuneSetup s, double setupSeconds) {
        int[] shape = s.measurer.promptShape();
        int classes = shape[0];
        int tokens = shape[1];
        int images = s.train.set().size();
        String run = String.format(Locale.ROOT, "tune %s on %s (k=%d, seed %d), model %s, %s evaluator", s.method,
                s.dataset, s.k, s.seed, s.modelId, config.string("tune.evaluator"));
        String workload = String.format(Locale.ROOT, "K = %d classes, prompts of %d tokens (cropped from %d), "
                + "N = %d training, %d validation, %d test features", classes, tokens, shape[2], images,
                s.val.set().size(), s.test.set().size());
        double gpuTflops = config.number("plan.gpu-tflops", 0);
        String gpuDevice = config.string("plan.gpu");
        long start = System.nanoTime();
        double testSeconds = seconds(() -> s.measurer.test(null));
        if (s.spec == null) {
            return s.method.equals("coop") ? coop(config, s, run, workload, classes, tokens, images, testSeconds,
                    setupSeconds, gpuTflops, gpuDevice)
                    // The initial prompt's test accuracy, then its training and validation measurement.
                    : new RunPlan(run, workload, List.of(), "zero-shot: the initial prompt, measured once", 0, 2, 0,
                            0, String.format(Locale.ROOT, "a test measurement took %.2f s", testSeconds),
                            setupSeconds, 0, 2 * testSeconds, null);
        }
        PromptSpace space = s.measurer.space(s.spec);
        // The simulation runs the optimizer's own arithmetic (CMA-ES updates, state round trips of chains) as the
        // run will, against free losses: its time is the run's optimizer time.
        long simulated = System.nanoTime();
        QuerySchedule schedule = QuerySchedule.simulate(() -> s.spec.optimizer(space), s.loop);
        double optimizerSeconds = (System.nanoTime() - simulated) / 1e9;
        boolean visual = s.spec.visualPrompt();
        double perQuery = visual ? QueryFlops.visualPrompt(s.arch, classes, images)
                : QueryFlops.textPrompt(s.arch, classes, tokens, images);
        var b16 = ClipArchitectures.vitB16();
        double b16PerQuery = visual ? QueryFlops.visualPrompt(b16, classes, images)
                : QueryFlops.textPrompt(b16, classes, tokens, images);
        Calibrated c = calibrate(config, s, space, chainStepQueries(schedule),
                !schedule.dispatches().isEmpty() && schedule.dispatches().get(0).chain());
        double[] seconds = c.model().seconds(schedule);
        // Besides the schedule's measurements, a run tests the zero-shot prompt first and its result last.
        double measureSeconds = seconds[1] + 2 * testSeconds;
        String calibration = c.description() + String.format(Locale.ROOT, ", test split %.3f s, optimizer %.2f s "
                + "(%.1f s in all)", testSeconds, optimizerSeconds, (System.nanoTime() - start) / 1e9);
        return new RunPlan(run, workload, schedule.stages(), changePointNote(config, s.method), schedule.queries(),
                schedule.measurements() + schedule.tests() + 2, perQuery, perQuery * schedule.queries(), calibration,
                setupSeconds, seconds[0] + optimizerSeconds, measureSeconds,
                new RunPlan.GpuEstimate("ViT-B/16", gpuDevice, gpuTflops, b16PerQuery));
    }

    /** The calibrated cost model and how it was found. */
    private record Calibrated(CostModel model, String description) {
    }

    /**
     * Times the run's evaluator on real queries around the initial point: a few waves to warm it (the executors
     * load the model and build the objective, as the run's first step does), then passes of a chain step's queries
     * and of one full group alone, waves of one group per slot, an empty Spark job for the dispatch cost, and a
     * measurement.
     */
    private static Calibrated calibrate(JobConfig config, TuneSetup s, PromptSpace space, int stepQueries,
            boolean chainsFromTheStart) {
        int group = s.task.groupSize();
        boolean spark = config.string("tune.evaluator").equals("spark");
        JavaSparkContext jsc = new JavaSparkContext(s.spark.sparkContext());
        int slots = spark ? jsc.defaultParallelism() : 1;
        QueryEvaluator evaluator = spark ? new SparkEvaluator(jsc, jsc.broadcast(s.task), slots,
                "tune --plan " + s.method + " " + s.dataset + ": calibration")
                : s.measurer.local(group);
        double[] x0 = s.spec.optimizer(space).solution();
        long[] seed = {0};
        long[] asked = {0};
        java.util.function.IntFunction<QueryBatch> queries = n -> {
            asked[0] += n;
            return batch(x0, n, seed);
        };
        int smallQueries = Math.min(stepQueries, group);
        long warmStart = System.nanoTime();
        double lastWave = 0;
        for (int i = 0; i < REPEATS && (i == 0 || (System.nanoTime() - warmStart) / 1e9 < PART_SECONDS); i++) {
            lastWave = seconds(() -> evaluator.losses(queries.apply(group * slots)));
        }
        double warm = (System.nanoTime() - warmStart) / 1e9;
        int repeats = (int) Math.max(2, Math.min(REPEATS, PART_SECONDS / Math.max(lastWave, 1e-9)));
        // A pass's own time is what the tasks measured computing it (the evaluator's accumulator); the rest of a
        // call's wall time is the dispatch: sending the task, scheduling it, collecting its losses.
        double[] small = timed(evaluator, () -> queries.apply(smallQueries), repeats);
        if (chainsFromTheStart) {
            // A method that chains from its first step (ZIP, BlackVIP) is timed on a real chain: a step then also
            // pays the optimizer's ask and tell and the chain's bookkeeping, as it will in the run.
            int steps = (int) Math.max(3, Math.min(Math.min(CHAIN_STEPS, Math.max(1, config.integer("tune.max-chain", 0))),
                    PART_SECONDS / Math.max(small[0], 1e-9)));
            String state = s.spec.optimizer(space).state();
            double wall = seconds(() -> evaluator.chain(state, steps, Long.MAX_VALUE));
            asked[0] += (long) steps * smallQueries;
            small[0] = Math.max(0, wall - small[1]) / steps;
        }
        double[] alone = timed(evaluator, () -> queries.apply(group), repeats);
        double dispatch = Math.min(small[1], alone[1]);
        double wave = slots == 1 ? alone[0]
                : Math.max(0, fastest(() -> evaluator.losses(queries.apply(group * slots)), repeats) - dispatch);
        s.measurer.apply(x0);
        double measure = fastest(() -> s.measurer.apply(x0), repeats);
        String description = String.format(Locale.ROOT, "%d queries on %d slot%s: warm-up %.2f s, pass of %d "
                + "queries %.4f s%s, of %d: %.4f s alone, %.4f s with every slot busy, dispatch %.4f s, measurement "
                + "%.3f s", asked[0], slots, slots == 1 ? "" : "s", warm, smallQueries, small[0],
                chainsFromTheStart ? " (a step of a real chain)" : "", group, alone[0], wave,
                dispatch, measure);
        return new Calibrated(new CostModel(slots, group, dispatch, smallQueries, small[0], alone[0], wave, measure),
                description);
    }

    private static RunPlan coop(JobConfig config, TuneSetup s, String run, String workload, int classes,
            int tokens, int images, double testSeconds, double setupSeconds, double gpuTflops, String gpuDevice) {
        CoopTrainer.Settings cs = TuneJob.coopSettings(config, s.seed);
        CoopTrainer.Settings one = new CoopTrainer.Settings(cs.learningRate(), cs.momentum(), cs.weightDecay(),
                cs.batchSize(), 1, cs.warmupLearningRate(), cs.seed());
        double epoch = seconds(() -> s.measurer.coop(one, (e, ctx, loss, recomputed) -> { }));
        double measure = fastest(() -> s.measurer.measureContext(s.measurer.initialContext()), REPEATS);
        int every = config.integer("tune.coop.eval-every", 1);
        int measurements = cs.epochs() / every + (cs.epochs() % every == 0 ? 1 : 2);
        double perEpoch = QueryFlops.coopEpoch(s.arch, classes, tokens, images, cs.batchSize());
        double b16PerEpoch = QueryFlops.coopEpoch(ClipArchitectures.vitB16(), classes, tokens, images,
                cs.batchSize());
        String work = String.format(Locale.ROOT, "CoOp: %d epochs of %d steps (batch %d), gradients in the driver",
                cs.epochs(), (images + cs.batchSize() - 1) / cs.batchSize(), cs.batchSize());
        return new RunPlan(run, workload, List.of(), work, 0, measurements, perEpoch, perEpoch * cs.epochs(),
                String.format(Locale.ROOT, "one epoch %.3f s, measurement %.3f s, test split %.3f s", epoch, measure,
                        testSeconds), setupSeconds, epoch * cs.epochs(), measurements * measure + 2 * testSeconds,
                new RunPlan.GpuEstimate("ViT-B/16", gpuDevice, gpuTflops, b16PerEpoch));
    }

    /** @return the queries of one step of the schedule's chains (2 when it has none, SharpZO's stage-2 size) */
    private static int chainStepQueries(QuerySchedule schedule) {
        return schedule.dispatches().stream().filter(QuerySchedule.Dispatch::chain)
                .mapToInt(d -> (int) Math.max(1, d.queries() / Math.max(1, d.steps()))).findFirst().orElse(2);
    }

    private static String changePointNote(JobConfig config, String method) {
        if (method.equals("sharpzo") && config.integer("tune.sharpzo.change-point", -1) == 0) {
            return "automatic change point: planned at the earliest switch (validation never improving); a run "
                    + "that keeps improving stays longer in stage 1";
        }
        return "";
    }

    /** n queries at small seeded Gaussian offsets from x (what a step's queries look like to the objective). */
    private static QueryBatch batch(double[] x, int n, long[] seed) {
        List<Perturbation> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            points.add(new Perturbation.Seeded(Directions.Kind.GAUSSIAN, ++seed[0], 1e-3));
        }
        return new QueryBatch(x, null, points);
    }

    private static double seconds(Runnable work) {
        long t = System.nanoTime();
        work.run();
        return (System.nanoTime() - t) / 1e9;
    }

    /**
     * @return {the fastest pass's own seconds, the fastest call's remaining seconds} over a few calls: on Spark the
     *     pass's own time is what its task measured; in the driver the call is the pass
     */
    private static double[] timed(QueryEvaluator evaluator, Supplier<QueryBatch> batches, int repeats) {
        double pass = Double.POSITIVE_INFINITY;
        double rest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < repeats; i++) {
            QueryBatch b = batches.get();
            double before = evaluator instanceof SparkEvaluator se ? se.queryCoreSeconds() : 0;
            double wall = seconds(() -> evaluator.losses(b));
            double own = evaluator instanceof SparkEvaluator se ? se.queryCoreSeconds() - before : wall;
            pass = Math.min(pass, own);
            rest = Math.min(rest, Math.max(0, wall - own));
        }
        return new double[] {pass, rest};
    }

    private static double fastest(Runnable work, int repeats) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < repeats; i++) {
            best = Math.min(best, seconds(work));
        }
        return best;
    }
}
