package dev.vlmadapt.runtime.tune;

import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver side of a tuning run, the same for every method and evaluator: asks the optimizer, has the
 * evaluator compute losses (or run a sequential chain), counts queries against the budget, measures the
 * current solution every few steps (training loss and accuracy, validation accuracy; these measurements are
 * not counted as queries), and checkpoints. A query is one loss evaluation over the training split.
 */
public final class TuningLoop {
    /**
     * @param budget queries at most
     * @param evalEvery queries between measurements of the solution (a measurement follows the first step that
     *     reaches the interval, so steps of many queries are measured after every step)
     * @param checkpointEvery queries between checkpoints (0 = never)
     * @param maxChain steps at most in one sequential chain; 0 = no chains: a sequential optimizer's steps are
     *     asked and told one by one like any other, so the queries of a step spread over the evaluator (worth it
     *     when queries are expensive, as BlackVIP's are, and tasks many)
     */
    public record Settings(long budget, int evalEvery, int checkpointEvery, int maxChain) {
    }

    /**
     * One measurement of the solution.
     *
     * @param step optimizer steps done
     * @param stage optimizer stage
     * @param queries queries spent
     * @param loss training loss of the solution
     * @param trainAcc training accuracy of the solution
     * @param valAcc validation accuracy of the solution
     * @param elapsedSeconds wall time since the run began (including earlier attempts of a resumed run)
     * @param recomputed queries (CoOp: batches) so far whose loss was non-finite once and recomputed: a run that
     *     promises bit-identical results shows here that a transient fault happened
     */
    public record Metrics(int step, String stage, long queries, double loss, double trainAcc, double valAcc,
            double elapsedSeconds, long recomputed) {
    }

    /**
     * What is needed to resume: the optimizer state, the queries spent, the measurements so far.
     *
     * @param optimizerState optimizer state JSON
     * @param queries queries spent
     * @param elapsedSeconds wall time spent so far
     * @param metrics measurements so far
     * @param recomputedQueries queries recomputed so far after a non-finite loss
     */
    public record Checkpoint(String optimizerState, long queries, double elapsedSeconds, List<Metrics> metrics,
            long recomputedQueries) {
    }

    /** Measures a solution: training loss and accuracy, validation accuracy. */
    public interface Measure {
        /**
         * @param w parameters
         * @return {loss, train accuracy, validation accuracy}
         */
        double[] apply(double[] w);
    }

    /** Told about progress. */
    public interface Listener {
        /** @param m a new measurement */
        void measured(Metrics m);

        /** @param c a checkpoint to persist */
        void checkpoint(Checkpoint c);
    }

    private TuningLoop() {
    }

    /**
     * @param optimizer the optimizer (restored from {@code resume} when given)
     * @param evaluator where losses are computed
     * @param measure measures the solution
     * @param settings budget and intervals
     * @param resume a checkpoint to continue from, or null
     * @param listener progress
     * @return all measurements, the last one of the final solution
     */
    public static List<Metrics> run(ZoOptimizer optimizer, QueryEvaluator evaluator, Measure measure,
            Settings settings, Checkpoint resume, Listener listener) {
        List<Metrics> metrics = new ArrayList<>();
        long queries = 0;
        double before = 0;
        long recomputedBefore = 0;
        if (resume != null) {
            optimizer.restore(resume.optimizerState());
            queries = resume.queries();
            before = resume.elapsedSeconds();
            metrics.addAll(resume.metrics());
            recomputedBefore = resume.recomputedQueries();
        }
        java.util.function.LongSupplier recomputed = recomputedBefore == 0 ? evaluator::recomputedQueries
                : () -> resume.recomputedQueries() + evaluator.recomputedQueries();
        long start = System.nanoTime();
        if (metrics.isEmpty()) {
            metrics.add(measure(optimizer, measure, queries, before, recomputed, listener, true));
        }
        long lastMeasured = metrics.get(metrics.size() - 1).queries();
        long lastCheckpoint = queries;
        while (queries + optimizer.stepCost() <= settings.budget()) {
            int stepBefore = optimizer.step();
            if (optimizer.sequential() && settings.maxChain() > 0) {
                long untilMeasure = Math.max(0, lastMeasured + settings.evalEvery() - queries);
                QueryEvaluator.Chain chain = evaluator.chain(optimizer.state(), settings.maxChain(),
                        Math.min(settings.budget() - queries, untilMeasure));
                if (chain.steps() == 0) {
                    // The next measurement is closer than one step: take that step alone.
                    chain = evaluator.chain(optimizer.state(), 1, settings.budget() - queries);
                }
                if (chain.steps() == 0) {
                    break;
                }
                optimizer.restore(chain.state());
                queries += chain.queries();
            } else {
                QueryBatch batch = optimizer.ask();
                if (queries + batch.size() > settings.budget()) {
                    break;
                }
                optimizer.tell(evaluator.losses(batch));
                queries += batch.size();
            }
            double elapsed = before + (System.nanoTime() - start) / 1e9;
            if (optimizer.step() != stepBefore && queries - lastMeasured >= settings.evalEvery()) {
                metrics.add(measure(optimizer, measure, queries, elapsed, recomputed, listener, true));
                lastMeasured = queries;
            }
            if (settings.checkpointEvery() > 0 && queries - lastCheckpoint >= settings.checkpointEvery()) {
                listener.checkpoint(new Checkpoint(optimizer.state(), queries, elapsed, List.copyOf(metrics),
                        recomputed.getAsLong()));
                lastCheckpoint = queries;
            }
        }
        if (metrics.get(metrics.size() - 1).step() != optimizer.step()) {
            // The final measurement does not feed the optimizer: nothing follows it.
            metrics.add(measure(optimizer, measure, queries, before + (System.nanoTime() - start) / 1e9, recomputed,
                    listener, false));
        }
        return metrics;
    }

    private static Metrics measure(ZoOptimizer optimizer, Measure measure, long queries, double elapsed,
            java.util.function.LongSupplier recomputed, Listener listener, boolean tellOptimizer) {
        double[] r = measure.apply(optimizer.solution());
        if (tellOptimizer) {
            optimizer.validation(r[2]);
        }
        Metrics m = new Metrics(optimizer.step(), optimizer.stage(), queries, r[0], r[1], r[2], elapsed,
                recomputed.getAsLong());
        listener.measured(m);
        return m;
    }
}
