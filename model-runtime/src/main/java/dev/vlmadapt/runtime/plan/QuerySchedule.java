package dev.vlmadapt.runtime.plan;

import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import dev.vlmadapt.runtime.tune.Chains;
import dev.vlmadapt.runtime.tune.QueryEvaluator;
import dev.vlmadapt.runtime.tune.QueryGroups;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The queries a forward-only run will make, found by running the real {@link TuningLoop} with its budget,
 * measurement interval and chains against stand-in losses: how many queries each stage spends, in how many
 * dispatches (a batch spread over the executors, or a chain of sequential steps in one task), and how many
 * measurements the run takes. Query counts do not depend on the losses, except where the change point is
 * automatic: the stand-in validation accuracy never improves, so such a run is planned with the earliest
 * switch to stage 2.
 *
 * @param dispatches the evaluator calls, in order
 * @param measurements measurements of the solution on the training and validation splits
 * @param tests test-split measurements during the run (the {@code test-at} points)
 */
public record QuerySchedule(List<Dispatch> dispatches, int measurements, int tests) {

    /**
     * One call to the evaluator.
     *
     * @param stage the optimizer's stage when it was made
     * @param chain whether it is a chain of sequential steps (one task) rather than one step's batch
     * @param steps optimizer steps it completes (a batch: 1, or 0 for a step's first part)
     * @param queries queries in it
     */
    public record Dispatch(String stage, boolean chain, int steps, long queries) {
    }

    /**
     * A stage's totals.
     *
     * @param stage its name
     * @param steps optimizer steps
     * @param queries queries
     * @param batches batch dispatches
     * @param chains chain dispatches
     */
    public record Stage(String stage, int steps, long queries, int batches, int chains) {
    }

    public QuerySchedule {
        dispatches = List.copyOf(dispatches);
    }

    /**
     * @param optimizers makes a fresh optimizer with the run's settings (the run's own, and one per chain)
     * @param settings the run's budget, intervals and chain length
     * @return the run's schedule
     */
    public static QuerySchedule simulate(Supplier<ZoOptimizer> optimizers, TuningLoop.Settings settings) {
        ZoOptimizer optimizer = optimizers.get();
        Recorder recorder = new Recorder(optimizer, optimizers);
        TuningLoop.run(optimizer, recorder, recorder, settings, null, new TuningLoop.Listener() {
            @Override
            public void measured(TuningLoop.Metrics m) {
            }

            @Override
            public void checkpoint(TuningLoop.Checkpoint c) {
            }
        });
        recorder.settle();
        return new QuerySchedule(recorder.dispatches, recorder.measurements, recorder.tests);
    }

    /** Stands in for the evaluator and the measurements, recording what the loop asks of them. */
    private static final class Recorder implements QueryEvaluator, TuningLoop.Measure {
        final ZoOptimizer optimizer;
        final Supplier<ZoOptimizer> optimizers;
        final List<Dispatch> dispatches = new ArrayList<>();
        int measurements;
        int tests;
        /** The step count before the last batch, whose steps are known once the loop has told its losses. */
        int pendingBefore = -1;

        Recorder(ZoOptimizer optimizer, Supplier<ZoOptimizer> optimizers) {
            this.optimizer = optimizer;
            this.optimizers = optimizers;
        }

        /** Fills in the steps of the last batch: the loop has told its losses by the time anything else runs. */
        void settle() {
            if (pendingBefore >= 0) {
                Dispatch d = dispatches.remove(dispatches.size() - 1);
                dispatches.add(new Dispatch(d.stage(), false, optimizer.step() - pendingBefore, d.queries()));
                pendingBefore = -1;
            }
        }

        @Override
        public double[] losses(QueryBatch batch) {
            settle();
            pendingBefore = optimizer.step();
            dispatches.add(new Dispatch(optimizer.stage(), false, 0, batch.size()));
            return standIn(batch.size(), dispatches.size());
        }

        @Override
        public Chain chain(String state, int maxSteps, long maxQueries) {
            settle();
            ZoOptimizer o = optimizers.get();
            o.restore(state);
            String stage = o.stage();
            long[] salt = {dispatches.size() * 1_000_003L};
            Chain c = Chains.run(o, maxSteps, maxQueries,
                    b -> new QueryGroups.Evaluated(standIn(b.size(), ++salt[0]), 0));
            if (c.steps() > 0) {
                dispatches.add(new Dispatch(stage, true, c.steps(), c.queries()));
            }
            return c;
        }

        @Override
        public long recomputedQueries() {
            return 0;
        }

        @Override
        public double[] apply(double[] w) {
            settle();
            measurements++;
            return new double[] {1, 0, 0};
        }

        @Override
        public double test(double[] w) {
            tests++;
            return 0;
        }
    }

    /** Losses that differ between queries (a flat objective would send CMA-ES down a special path). */
    private static double[] standIn(int n, long salt) {
        SplittableRandom rng = new SplittableRandom(salt);
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = 1 + rng.nextDouble();
        }
        return l;
    }

    /** @return the queries of all dispatches */
    public long queries() {
        return dispatches.stream().mapToLong(Dispatch::queries).sum();
    }

    /** @return totals per stage, in the order the stages ran */
    public List<Stage> stages() {
        Map<String, long[]> t = new LinkedHashMap<>();
        for (Dispatch d : dispatches) {
            long[] s = t.computeIfAbsent(d.stage(), k -> new long[4]);
            s[0] += d.steps();
            s[1] += d.queries();
            s[d.chain() ? 3 : 2]++;
        }
        List<Stage> out = new ArrayList<>();
        t.forEach((k, s) -> out.add(new Stage(k, (int) s[0], s[1], (int) s[2], (int) s[3])));
        return out;
    }
}
