package dev.vlmadapt.runtime.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlmadapt.runtime.objective.FewShotObjective;
import dev.vlmadapt.runtime.objective.PointObjective;
import dev.vlmadapt.runtime.optim.Directions;
import dev.vlmadapt.runtime.optim.Perturbation;
import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's bookkeeping of transient faults: recomputed queries reach the metrics and survive a resume. */
class TuningLoopTest {
    /** Steps of 4 queries that change nothing; its state is its step count. */
    private static class Counter implements ZoOptimizer {
        int step;

        @Override
        public QueryBatch ask() {
            List<Perturbation> points = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                points.add(new Perturbation.Seeded(Directions.Kind.RADEMACHER, step * 4L + i, 1.0));
            }
            return new QueryBatch(new double[2], null, points);
        }

        @Override
        public void tell(double[] losses) {
            step++;
        }

        @Override
        public double[] solution() {
            return new double[2];
        }

        @Override
        public String stage() {
            return "only";
        }

        @Override
        public long stepCost() {
            return 4;
        }

        @Override
        public int step() {
            return step;
        }

        @Override
        public boolean sequential() {
            return false;
        }

        @Override
        public String state() {
            return Integer.toString(step);
        }

        @Override
        public void restore(String json) {
            step = Integer.parseInt(json);
        }
    }

    /** Loss 1 for every query, NaN on the listed calls (0-based). */
    private static final class Flaky implements PointObjective {
        final List<Integer> badCalls;
        int calls;

        Flaky(Integer... badCalls) {
            this.badCalls = List.of(badCalls);
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public FewShotObjective.Result[] evaluate(double[][] points) {
            double loss = badCalls.contains(calls++) ? Double.NaN : 1;
            FewShotObjective.Result[] out = new FewShotObjective.Result[points.length];
            java.util.Arrays.fill(out, new FewShotObjective.Result(loss, 0.5));
            return out;
        }

        @Override
        public void close() {
        }
    }

    private static final TuningLoop.Measure MEASURE = w -> new double[] {1, 0.5, 0.5};

    @Test
    void recomputedQueriesReachTheMetricsAndSurviveAResume() {
        List<TuningLoop.Checkpoint> saved = new ArrayList<>();
        TuningLoop.Listener listener = new TuningLoop.Listener() {
            @Override
            public void measured(TuningLoop.Metrics m) {
            }

            @Override
            public void checkpoint(TuningLoop.Checkpoint c) {
                saved.add(c);
            }
        };
        // Groups of 2 queries: call 1 (the second group of the first step) is NaN once, then recomputed.
        TuningLoop.Settings settings = new TuningLoop.Settings(20, 4, 8, 0);
        // (report the last iterate, no test points)
        List<TuningLoop.Metrics> m = TuningLoop.run(new Counter(), new LocalEvaluator(null, null, new Flaky(1), 2),
                MEASURE, settings, null, listener).metrics();
        assertEquals(0, m.get(0).recomputed(), "before the first step");
        assertEquals(2, m.get(1).recomputed(), "after it: one group of 2 queries");
        assertEquals(2, m.get(m.size() - 1).recomputed());

        // Resuming from the checkpoint at 8 queries keeps its count and adds the new evaluator's.
        TuningLoop.Checkpoint at8 = saved.get(0);
        assertEquals(2, at8.recomputedQueries());
        List<TuningLoop.Metrics> resumed = TuningLoop.run(new Counter(), new LocalEvaluator(null, null,
                new Flaky(0), 2), MEASURE, settings, at8, listener).metrics();
        assertEquals(4, resumed.get(resumed.size() - 1).recomputed(), "2 before the checkpoint, 2 after it");
    }

    /** Validation accuracy rises to a peak at step 3 and falls; test accuracy = 1 - the step of w / 10. */
    private static final class Peaked implements TuningLoop.Measure {
        final List<Double> testedSteps = new ArrayList<>();

        @Override
        public double[] apply(double[] w) {
            double step = w[0];
            return new double[] {1, 0.5, 0.9 - 0.1 * Math.abs(step - 3)};
        }

        @Override
        public double test(double[] w) {
            testedSteps.add(w[0]);
            return 1 - w[0] / 10;
        }
    }

    /** A counter whose solution is its step count, so measurements can tell which parameters they saw. */
    private static final class Walker extends Counter {
        @Override
        public double[] solution() {
            return new double[] {step, 0};
        }
    }

    @Test
    void bestValReportsThePeakAndTestPointsLeaveTheRunAlone() {
        TuningLoop.Listener quiet = new TuningLoop.Listener() {
            @Override
            public void measured(TuningLoop.Metrics m) {
            }

            @Override
            public void checkpoint(TuningLoop.Checkpoint c) {
            }
        };
        // 6 steps of 4 queries, a measurement after each; test points after 10 and 20 queries.
        Peaked bestMeasure = new Peaked();
        TuningLoop.Outcome best = TuningLoop.run(new Walker(), new LocalEvaluator(null, null, new Flaky(), 4),
                bestMeasure, new TuningLoop.Settings(24, 4, 0, 0, TuningLoop.Report.BEST_VAL, List.of(10L, 20L)),
                null, quiet);
        assertEquals(3.0, best.reported()[0], "the parameters of the best validation measurement");
        assertEquals(3, best.metrics().get(best.reportedIndex()).step());
        // After 12 queries (step 3) the reported parameters are step 3's; after 20 (step 5) still step 3's.
        assertEquals(List.of(3.0, 3.0), bestMeasure.testedSteps);
        List<Long> tested = best.metrics().stream().filter(m -> !Double.isNaN(m.testAcc()))
                .map(TuningLoop.Metrics::queries).toList();
        assertEquals(List.of(12L, 20L), tested, "the first measurements at or after each test point");

        Peaked lastMeasure = new Peaked();
        TuningLoop.Outcome last = TuningLoop.run(new Walker(), new LocalEvaluator(null, null, new Flaky(), 4),
                lastMeasure, new TuningLoop.Settings(24, 4, 0, 0, TuningLoop.Report.LAST, List.of(10L, 20L)),
                null, quiet);
        assertEquals(6.0, last.reported()[0], "the last iterate");
        assertEquals(List.of(3.0, 5.0), lastMeasure.testedSteps, "the iterate at each test point");
        // Same run either way: the measurements agree apart from the test column.
        for (int i = 0; i < last.metrics().size(); i++) {
            assertEquals(last.metrics().get(i).valAcc(), best.metrics().get(i).valAcc());
            assertEquals(last.metrics().get(i).queries(), best.metrics().get(i).queries());
        }
    }
}
