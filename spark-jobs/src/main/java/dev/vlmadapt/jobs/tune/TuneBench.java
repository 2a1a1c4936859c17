package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.runtime.objective.FewShotSet;
import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.optim.SharpZo;
import dev.vlmadapt.runtime.optim.Spsa;
import dev.vlmadapt.runtime.tune.MethodSpec;
import dev.vlmadapt.runtime.tune.QueryEvaluator;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Times SharpZO stage-1 generations through the Spark evaluator or computed in this thread, on random
 * cached features (the objective's cost does not depend on their values). For {@code bench-tuning}.
 */
public final class TuneBench implements AutoCloseable {
    private final TuneTask task;
    private final QueryEvaluator spark;
    private final int d;
    private final int population;
    private final Measurer measurer;

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
        SplittableRandom r = new SplittableRandom(1);
        float[][] features = new float[n][dimension];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dimension; j++) {
                features[i][j] = (float) r.nextGaussian();
            }
            labels[i] = i % classes.size();
        }
        MethodSpec spec = new MethodSpec("sharpzo", d, 0.2, 62, 5, null, new SharpZo.Settings(0.4, population, 0.1, true,
                1e-3, 0, 10, 0.01, 1e-5, 1e-3, 1e-3, 200, 0.5, false, 1), Spsa.Settings.zip(d, 1), 1);
        FewShotSet set = new FewShotSet(features, labels, null);
        this.task = new TuneTask(UUID.randomUUID().toString(), model, "cpu", classes, "a photo of a", set, spec,
                groupSize, false);
        JavaSparkContext jsc = new JavaSparkContext(session.sparkContext());
        this.spark = new SparkEvaluator(jsc, jsc.broadcast(task), session.sparkContext().defaultParallelism());
        this.d = d;
        this.population = population;
        this.measurer = new Measurer(task, "bench-random", set, set);
        measurer.space(spec);
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

    @Override
    public void close() {
        task.release();
        measurer.close();
    }
}
