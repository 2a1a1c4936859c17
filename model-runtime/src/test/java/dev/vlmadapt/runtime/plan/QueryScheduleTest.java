package dev.vlmadapt.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.optim.SharpZo;
import dev.vlmadapt.runtime.optim.Spsa;
import dev.vlmadapt.runtime.optim.Directions;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import dev.vlmadapt.runtime.tune.Chains;
import dev.vlmadapt.runtime.tune.QueryEvaluator;
import dev.vlmadapt.runtime.tune.QueryGroups;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class QueryScheduleTest {
    private static final int D = 4;

    /** SharpZO with d = 4, population 4, one stage-1 iteration, a mask refresh every 5 stage-2 steps. */
    private static ZoOptimizer sharpZo() {
        return new SharpZo(new double[D], new SharpZo.Settings(0.1, 4, 0.1, true, 1e-3, 1, 1, 0, 1e-3, 1e-3, 0.1,
                5, 0.5, false, 7));
    }

    private static TuningLoop.Settings settings(long budget, int evalEvery) {
        return new TuningLoop.Settings(budget, evalEvery, 0, 50, TuningLoop.Report.LAST, List.of());
    }

    @Test
    void sharpZoScheduleCountedByHand() {
        // Stage 1: one iteration = CGE (2d = 8 queries) + one generation (4) = 12 queries, 1 step.
        // Stage 2 from 12 queries: a mask refresh (2d = 8) then 5 steps of 2, repeated; a phase starts only when
        // its step fits the budget (a refresh needs 2d + 2 = 10 free queries). Refreshes at 12, 30, 48, 66 and 84
        // (each followed by 5 steps of 2), the last followed by 4 steps to exactly 100: 5 refreshes, 24 steps in
        // 5 chains, 5·8 + 24·2 = 88 queries.
        QuerySchedule s = QuerySchedule.simulate(QueryScheduleTest::sharpZo, settings(100, 1000));
        assertEquals(100, s.queries());
        List<QuerySchedule.Stage> stages = s.stages();
        assertEquals(2, stages.size());
        assertEquals(new QuerySchedule.Stage("stage1", 1, 12, 2, 0), stages.get(0));
        assertEquals(new QuerySchedule.Stage("stage2", 24, 88, 5, 5), stages.get(1));
        // The initial measurement and the final one (nothing reaches the 1000-query interval).
        assertEquals(2, s.measurements());
        assertEquals(0, s.tests());
    }

    @Test
    void matchesWhatTheLoopDoesWithRealLosses() {
        // Query counts of a fixed schedule do not depend on the losses: record a run on a real quadratic and
        // compare it dispatch by dispatch with the plan made against stand-in losses.
        for (Supplier<ZoOptimizer> optimizers : List.<Supplier<ZoOptimizer>>of(QueryScheduleTest::sharpZo,
                () -> new Spsa(new double[D], new Spsa.Settings(0.01, 0.01, 0.4, 0.1, 1, 5,
                        Directions.Kind.RADEMACHER, -1, 0, 3)),
                () -> SharpZo.bbt(new double[D], 0.1, 6, 3))) {
            TuningLoop.Settings settings = settings(997, 60);
            List<QuerySchedule.Dispatch> recorded = new ArrayList<>();
            ZoOptimizer optimizer = optimizers.get();
            int[] measured = {0};
            TuningLoop.run(optimizer, new Recording(optimizer, optimizers, recorded), w -> {
                measured[0]++;
                double loss = quadratic(w);
                return new double[] {loss, 0.5, 1 / (1 + loss)};
            }, settings, null, new TuningLoop.Listener() {
                @Override
                public void measured(TuningLoop.Metrics m) {
                }

                @Override
                public void checkpoint(TuningLoop.Checkpoint c) {
                }
            });
            QuerySchedule plan = QuerySchedule.simulate(optimizers, settings);
            assertEquals(recorded.stream().map(d -> d.stage() + d.chain() + d.queries()).toList(),
                    plan.dispatches().stream().map(d -> d.stage() + d.chain() + d.queries()).toList());
            assertEquals(optimizer.step(), plan.dispatches().stream().mapToInt(QuerySchedule.Dispatch::steps).sum());
            assertEquals(measured[0], plan.measurements());
        }
    }

    private static double quadratic(double[] w) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += (w[i] - 0.3 * i) * (w[i] - 0.3 * i);
        }
        return s;
    }

    /** Evaluates the quadratic and records each dispatch's stage and size. */
    private record Recording(ZoOptimizer optimizer, Supplier<ZoOptimizer> optimizers,
            List<QuerySchedule.Dispatch> out) implements QueryEvaluator {
        @Override
        public double[] losses(QueryBatch batch) {
            out.add(new QuerySchedule.Dispatch(optimizer.stage(), false, 0, batch.size()));
            return evaluate(batch).losses();
        }

        @Override
        public Chain chain(String state, int maxSteps, long maxQueries) {
            ZoOptimizer o = optimizers.get();
            o.restore(state);
            String stage = o.stage();
            Chain c = Chains.run(o, maxSteps, maxQueries, Recording::evaluate);
            if (c.steps() > 0) {
                out.add(new QuerySchedule.Dispatch(stage, true, c.steps(), c.queries()));
            }
            return c;
        }

        @Override
        public long recomputedQueries() {
            return 0;
        }

        private static QueryGroups.Evaluated evaluate(QueryBatch batch) {
            double[] l = new double[batch.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = quadratic(batch.point(i));
            }
            return new QueryGroups.Evaluated(l, 0);
        }
    }
}
