package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.runtime.objective.FewShotSet;
import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.optim.SharpZo;
import dev.vlmadapt.runtime.optim.Spsa;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import dev.vlmadapt.runtime.prompt.PromptSpace;
import dev.vlmadapt.runtime.tune.MethodSpec;
import dev.vlmadapt.runtime.tune.QueryEvaluator;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Times SharpZO stage-1 generations through the Spark evaluator or computed in this thread, and whole tuning
 * runs of a method through the Spark evaluator, on random cached features (the objective's cost does not
 * depend on their values). For {@code bench-tuning}.
 */
public final class TuneBench implements AutoCloseable {
    private final TuneTask task;
    private final SparkEvaluator spark;
    private final int d;
    private final Measurer measurer;
    private final PromptSpace space;

    /**
     * @param session the Spark session
     * @param model the model
     * @param classes class names
     * @param n number of cached training features
     * @param dimension their dimension
     * @param d subspace dimension
     * @param population CMA-ES population
     * @param groupSize queries per text-tower pass
     */
    public TuneBench(SparkSession session, ModelRef model, List<String> classes, int n, int dimension, int d,
            int population, int groupSize) {
        this(session, model, classes, n, dimension, new MethodSpec("sharpzo", d, 0.2, 62, 5, null,
                new SharpZo.Settings(0.4, population, 0.1, true, 1e-3, 0, 10, 0.01, 1e-5, 1e-3, 1e-3, 200, 0.5, false,
                        1), Spsa.Settings.zip(d, 1), 1), groupSize);
    }

    /**
     * @param session the Spark session
     * @param model the model
     * @param classes class names
     * @param n number of cached training features
     * @param dimension their dimension
     * @param spec the method (a SharpZO spec for {@link #generationSeconds})
     * @param groupSize queries per text-tower pass
     */
    public TuneBench(SparkSession session, ModelRef model, List<String> classes, int n, int dimension, MethodSpec spec,
            int groupSize) {
        SplittableRandom r = new SplittableRandom(1);
        float[][] features = new float[n][dimension];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dimension; j++) {
                features[i][j] = (float) r.nextGaussian();
            }
            labels[i] = i % classes.size();
        }
        FewShotSet set = new FewShotSet(features, labels, null);
        this.task = new TuneTask(UUID.randomUUID().toString(), model, "cpu", classes, "a photo of a", set, spec,
                groupSize, false);
        JavaSparkContext jsc = new JavaSparkContext(session.sparkContext());
        this.spark = new SparkEvaluator(jsc, jsc.broadcast(task), session.sparkContext().defaultParallelism(),
                "bench-tuning");
        this.d = spec.subspaceDim();
        this.measurer = new Measurer(task, "bench-random", set, set);
        this.space = measurer.space(spec);
    }

    /**
     * @param session the Spark session
     * @param model the model
     * @param classes class names
     * @param n number of cached training features
     * @param dimension their dimension
     * @param config where the method's settings are read ({@code tune.<method>.*}, seed 1)
     * @param method a forward-only method
     * @param groupSize queries per text-tower pass
     * @return a bench of that method as {@code tune} would configure it
     */
    public static TuneBench forMethod(SparkSession session, ModelRef model, List<String> classes, int n,
            int dimension, JobConfig config, String method, int groupSize) {
        return new TuneBench(session, model, classes, n, dimension, TuneJob.methodSpec(config, method, 1), groupSize);
    }

    /**
     * @param direct compute in this thread instead of through Spark
     * @param repeats timed repeats after one warm-up
     * @return median seconds of one generation (2d coordinate queries, then S candidates)
     */
    public double generationSeconds(boolean direct, int repeats) {
        QueryEvaluator evaluator = direct ? measurer.local(task.groupSize()) : spark;
        SharpZo opt = new SharpZo(new double[d], task.method().sharp());
        double[] times = new double[repeats];
        for (int t = -1; t < repeats; t++) {
            long start = System.nanoTime();
            QueryBatch cge = opt.ask();
            opt.tell(evaluator.losses(cge));
            QueryBatch cma = opt.ask();
            opt.tell(evaluator.losses(cma));
            if (t >= 0) {
                times[t] = (System.nanoTime() - start) / 1e9;
            }
        }
        Arrays.sort(times);
        return times[repeats / 2];
    }

    /**
     * What a timed tuning run cost.
     *
     * @param queries queries evaluated
     * @param seconds wall time
     * @param jobs evaluator calls (Spark jobs): a generation, a SharpZO stage-1 half-step or a chain each
     * @param queryCoreSeconds time the tasks spent computing queries, summed over tasks
     */
    public record Rate(long queries, double seconds, int jobs, double queryCoreSeconds) {
        /** @return queries per second of wall time */
        public double perSecond() {
            return queries / seconds;
        }
    }

    /**
     * A tuning run of the method as {@code tune} runs it (the driver's loop, queries and chains through Spark),
     * without measurements of the solution, so that only the optimizer and the queries are timed.
     *
     * @param budget queries
     * @param maxChain {@code tune.max-chain}
     * @return what the run cost
     */
    public Rate queryRate(long budget, int maxChain) {
        ZoOptimizer opt = task.method().optimizer(space);
        TuningLoop.Listener quiet = new TuningLoop.Listener() {
            @Override
            public void measured(TuningLoop.Metrics m) {
            }

            @Override
            public void checkpoint(TuningLoop.Checkpoint c) {
            }
        };
        int[] jobs = new int[1];
        QueryEvaluator counted = new QueryEvaluator() {
            @Override
            public double[] losses(QueryBatch batch) {
                jobs[0]++;
                return spark.losses(batch);
            }

            @Override
            public Chain chain(String optimizerState, int maxSteps, long maxQueries) {
                jobs[0]++;
                return spark.chain(optimizerState, maxSteps, maxQueries);
            }

            @Override
            public long recomputedQueries() {
                return spark.recomputedQueries();
            }
        };
        double coreBefore = spark.queryCoreSeconds();
        long start = System.nanoTime();
        List<TuningLoop.Metrics> m = TuningLoop.run(opt, counted, w -> new double[3],
                new TuningLoop.Settings(budget, Integer.MAX_VALUE, 0, maxChain), null, quiet).metrics();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Rate(m.get(m.size() - 1).queries(), seconds, jobs[0], spark.queryCoreSeconds() - coreBefore);
    }

    @Override
    public void close() {
        task.release();
        measurer.close();
    }
}
