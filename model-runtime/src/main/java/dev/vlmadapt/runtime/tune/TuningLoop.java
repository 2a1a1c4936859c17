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
     * @param report which parameters the run reports
     * @param testAt query counts after which the next regular measurement also takes the test accuracy of the
     *     parameters the run would report then (uncounted, never told to the optimizer, so the run is unchanged):
     *     the curve points of a budget study
     */
    public record Settings(long budget, int evalEvery, int checkpointEvery, int maxChain, Report report,
            List<Long> testAt) {
        /** Validates and copies. */
        public Settings {
            testAt = List.copyOf(testAt);
        }

        /** Reports the last iterate and measures no test points on the way. */
        public Settings(long budget, int evalEvery, int checkpointEvery, int maxChain) {
            this(budget, evalEvery, checkpointEvery, maxChain, Report.LAST, List.of());
        }
    }

    /** Which parameters a run reports. */
    public enum Report {
        /** The optimizer's solution at the end. */
        LAST,
        /** The solution of the measurement with the highest validation accuracy (the earliest of ties). */
        BEST_VAL;

        /**
         * @param name {@code last} or {@code best-val}
         * @return the report
         */
        public static Report parse(String name) {
            return switch (name) {
                case "last" -> LAST;
                case "best-val" -> BEST_VAL;
                default -> throw new IllegalArgumentException("report '" + name + "'; expected last or best-val");
            };
        }
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
     * @param testAcc test accuracy of the parameters the run would report at this point (a test point of
     *     {@link Settings#testAt()}); NaN where not measured
     */
    public record Metrics(int step, String stage, long queries, double loss, double trainAcc, double valAcc,
            double elapsedSeconds, long recomputed, double testAcc) {
    }

    /**
     * What a run ends with.
     *
     * @param metrics all measurements, the last one of the final solution
     * @param reported the reported parameters ({@link Settings#report()})
     * @param reportedIndex the index in {@code metrics} of the measurement of {@code reported}
     * @param last the last iterate
     * @param best the parameters of the best validation measurement, whichever is reported (the optimizer's
     *     path does not depend on it, so a study can compare both reports from one run)
     * @param bestIndex the index in {@code metrics} of the measurement of {@code best}
     */
    public record Outcome(List<Metrics> metrics, double[] reported, int reportedIndex, double[] last, double[] best,
            int bestIndex) {
    }

    /**
     * What is needed to resume: the optimizer state, the queries spent, the measurements so far.
     *
     * @param optimizerState optimizer state JSON
     * @param queries queries spent
     * @param elapsedSeconds wall time spent so far
     * @param metrics measurements so far
     * @param recomputedQueries queries recomputed so far after a non-finite loss
     * @param best the best-validation parameters so far
     * @param bestIndex the index in {@code metrics} of the measurement of {@code best}
     */
    public record Checkpoint(String optimizerState, long queries, double elapsedSeconds, List<Metrics> metrics,
            long recomputedQueries, double[] best, int bestIndex) {
    }

    /** Measures a solution: training loss and accuracy, validation accuracy. */
    public interface Measure {
        /**
         * @param w parameters
         * @return {loss, train accuracy, validation accuracy}
         */
        double[] apply(double[] w);

        /**
         * @param w parameters
         * @return their test accuracy (needed only for {@link Settings#testAt()} points)
         */
        default double test(double[] w) {
            throw new UnsupportedOperationException("this measure has no test split");
        }
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
     * @return the measurements and the reported parameters
     */
    public static Outcome run(ZoOptimizer optimizer, QueryEvaluator evaluator, Measure measure,
            Settings settings, Checkpoint resume, Listener listener) {
        Run r = new Run(optimizer, measure, settings, listener);
        long queries = 0;
        double before = 0;
        long recomputedBefore = 0;
        if (resume != null) {
            optimizer.restore(resume.optimizerState());
            queries = resume.queries();
            before = resume.elapsedSeconds();
            r.metrics.addAll(resume.metrics());
            recomputedBefore = resume.recomputedQueries();
            r.best = resume.best();
            r.bestIndex = resume.bestIndex();
        }
        long resumedRecomputed = recomputedBefore;
        r.recomputed = () -> resumedRecomputed + evaluator.recomputedQueries();
        long start = System.nanoTime();
        if (r.metrics.isEmpty()) {
            r.measure(queries, before, true, Double.NaN);
        }
        long lastMeasured = r.last().queries();
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
                r.measure(queries, elapsed, true, Double.NaN);
                // Test points ride on the regular measurements, so that they leave the run itself unchanged.
                if (r.crossedTestPoint(lastMeasured, queries)) {
                    r.testLast();
                }
                lastMeasured = queries;
            }
            if (settings.checkpointEvery() > 0 && queries - lastCheckpoint >= settings.checkpointEvery()) {
                listener.checkpoint(new Checkpoint(optimizer.state(), queries, elapsed, List.copyOf(r.metrics),
                        r.recomputed.getAsLong(), r.best, r.bestIndex));
                lastCheckpoint = queries;
            }
        }
        if (r.last().step() != optimizer.step()) {
            // The final measurement does not feed the optimizer: nothing follows it.
            r.measure(queries, before + (System.nanoTime() - start) / 1e9, false, Double.NaN);
            if (r.crossedTestPoint(lastMeasured, queries)) {
                r.testLast();
            }
        }
        boolean best = settings.report() == Report.BEST_VAL;
        double[] last = optimizer.solution();
        return new Outcome(List.copyOf(r.metrics), best ? r.best.clone() : last, best ? r.bestIndex
                : r.metrics.size() - 1, last, r.best.clone(), r.bestIndex);
    }

    /** One run's measurements and the best-validation parameters so far. */
    private static final class Run {
        final ZoOptimizer optimizer;
        final Measure measure;
        final Settings settings;
        final Listener listener;
        final List<Metrics> metrics = new ArrayList<>();
        java.util.function.LongSupplier recomputed;
        double[] best;
        int bestIndex = -1;

        Run(ZoOptimizer optimizer, Measure measure, Settings settings, Listener listener) {
            this.optimizer = optimizer;
            this.measure = measure;
            this.settings = settings;
            this.listener = listener;
        }

        Metrics last() {
            return metrics.get(metrics.size() - 1);
        }

        void measure(long queries, double elapsed, boolean tellOptimizer, double testAcc) {
            double[] w = optimizer.solution();
            double[] r = measure.apply(w);
            if (tellOptimizer) {
                optimizer.validation(r[2]);
            }
            Metrics m = new Metrics(optimizer.step(), optimizer.stage(), queries, r[0], r[1], r[2], elapsed,
                    recomputed.getAsLong(), testAcc);
            metrics.add(m);
            if (best == null || r[2] > metrics.get(bestIndex).valAcc()) {
                best = w.clone();
                bestIndex = metrics.size() - 1;
            }
            listener.measured(m);
        }

        /** Adds the test accuracy of the reported parameters to the last measurement. */
        void testLast() {
            double[] w = settings.report() == Report.BEST_VAL ? best : optimizer.solution();
            Metrics m = last();
            metrics.set(metrics.size() - 1, new Metrics(m.step(), m.stage(), m.queries(), m.loss(), m.trainAcc(),
                    m.valAcc(), m.elapsedSeconds(), m.recomputed(), measure.test(w)));
        }

        boolean crossedTestPoint(long before, long after) {
            return settings.testAt().stream().anyMatch(t -> before < t && t <= after);
        }
    }
}
