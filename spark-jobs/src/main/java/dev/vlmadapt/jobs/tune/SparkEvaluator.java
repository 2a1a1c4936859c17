package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.jobs.SparkStatus;
import dev.vlmadapt.jobs.executor.ExecutorReport;
import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import dev.vlmadapt.runtime.tune.Chains;
import dev.vlmadapt.runtime.tune.QueryEvaluator;
import dev.vlmadapt.runtime.tune.QueryGroups;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Shards a step's queries over Spark tasks: the query groups of a batch ({@link QueryGroups}) are spread over
 * up to {@code parallelism} tasks, each regenerating its points from the batch's seeds and offsets and
 * returning scalar losses. A sequential chain runs as one task. Retried or speculative tasks compute the same
 * numbers, since nothing depends on partition or attempt.
 */
final class SparkEvaluator implements QueryEvaluator {
    private final JavaSparkContext jsc;
    private final Broadcast<TuneTask> task;
    private final int parallelism;
    private final String label;
    private final ExecutorReport executors;
    /** Nanoseconds the tasks spent computing queries (successful attempts), summed over tasks. */
    private final LongAccumulator queryNanos;
    private long recomputed;

    /**
     * @param jsc the context
     * @param task the run's task, broadcast
     * @param parallelism tasks a batch is spread over at most
     * @param label names the run in the Spark UI, e.g. {@code tune sharpzo on toy}
     */
    SparkEvaluator(JavaSparkContext jsc, Broadcast<TuneTask> task, int parallelism, String label) {
        this.label = label;
        this.jsc = jsc;
        this.task = task;
        this.parallelism = parallelism;
        this.executors = ExecutorReport.register(jsc.sc());
        this.queryNanos = jsc.sc().longAccumulator("vlmadapt query nanoseconds");
    }

    /** @return seconds the executors' tasks spent computing queries so far, summed over tasks (core-seconds) */
    double queryCoreSeconds() {
        return queryNanos.value() / 1e9;
    }

    /** @return what each executor's query tasks reported */
    ExecutorReport executors() {
        return executors;
    }

    @Override
    public double[] losses(QueryBatch batch) {
        int groupSize = task.value().groupSize();
        int groups = QueryGroups.count(batch.size(), groupSize);
        SparkStatus.describe(jsc.sc(), String.format(java.util.Locale.ROOT, "%s: a batch of %d queries in %d groups",
                label, batch.size(), groups));
        List<Integer> ids = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            ids.add(g);
        }
        Broadcast<TuneTask> t = task;
        ExecutorReport report = executors;
        LongAccumulator nanos = queryNanos;
        List<Tuple2<Integer, QueryGroups.Evaluated>> parts = jsc.parallelize(ids, Math.min(groups, parallelism))
                .mapPartitions(it -> {
                    long start = System.nanoTime();
                    List<Integer> mine = new ArrayList<>();
                    it.forEachRemaining(mine::add);
                    List<Tuple2<Integer, QueryGroups.Evaluated>> losses = t.value().withObjective((objective,
                            space) -> {
                        List<Tuple2<Integer, QueryGroups.Evaluated>> out = new ArrayList<>();
                        for (int g : mine) {
                            out.add(new Tuple2<>(g, QueryGroups.evaluate(batch, g, groupSize, objective)));
                        }
                        return out;
                    });
                    report.add(ExecutorReport.Use.ofThisTask(t.value().model()));
                    nanos.add(System.nanoTime() - start);
                    return losses.iterator();
                }).collect();
        double[] losses = new double[batch.size()];
        for (Tuple2<Integer, QueryGroups.Evaluated> p : parts) {
            System.arraycopy(p._2().losses(), 0, losses, p._1() * groupSize, p._2().losses().length);
            recomputed += p._2().recomputedQueries();
        }
        return losses;
    }

    @Override
    public Chain chain(String optimizerState, int maxSteps, long maxQueries) {
        SparkStatus.describe(jsc.sc(), String.format(java.util.Locale.ROOT, "%s: a chain of up to %d steps", label,
                maxSteps));
        Broadcast<TuneTask> t = task;
        ExecutorReport report = executors;
        LongAccumulator nanos = queryNanos;
        Chain c = jsc.parallelize(List.of(0), 1).map(x -> {
            long start = System.nanoTime();
            Chain chain = t.value().withObjective((objective, space) -> {
                ZoOptimizer optimizer = t.value().method().optimizer(space);
                optimizer.restore(optimizerState);
                int groupSize = t.value().groupSize();
                return Chains.run(optimizer, maxSteps, maxQueries,
                        b -> QueryGroups.evaluateAll(b, groupSize, objective));
            });
            report.add(ExecutorReport.Use.ofThisTask(t.value().model()));
            nanos.add(System.nanoTime() - start);
            return chain;
        }).collect().get(0);
        recomputed += c.recomputedQueries();
        return c;
    }

    @Override
    public long recomputedQueries() {
        return recomputed;
    }
}
