package dev.vlmadapt.runtime.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlmadapt.runtime.objective.FewShotObjective;
import dev.vlmadapt.runtime.objective.PointObjective;
import dev.vlmadapt.runtime.optim.Directions;
import dev.vlmadapt.runtime.optim.Perturbation;
import dev.vlmadapt.runtime.optim.QueryBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fixed groups of queries, and what happens to a non-finite loss. */
class QueryGroupsTest {
    /** Loss = sum of the point's coordinates; NaN for the first {@code badCalls} calls. */
    private static final class Sum implements PointObjective {
        int calls;
        final int badCalls;
        final List<Integer> groupSizes = new ArrayList<>();

        Sum(int badCalls) {
            this.badCalls = badCalls;
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public FewShotObjective.Result[] evaluate(double[][] points) {
            groupSizes.add(points.length);
            FewShotObjective.Result[] out = new FewShotObjective.Result[points.length];
            for (int i = 0; i < points.length; i++) {
                double s = 0;
                for (double v : points[i]) {
                    s += v;
                }
                out[i] = new FewShotObjective.Result(calls < badCalls ? Double.NaN : s, 0);
            }
            calls++;
            return out;
        }

        @Override
        public void close() {
        }
    }

    private static QueryBatch batch(int size) {
        List<Perturbation> points = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            points.add(new Perturbation.Seeded(Directions.Kind.RADEMACHER, i, 1.0));
        }
        return new QueryBatch(new double[] {1, 2, 3}, null, points);
    }

    @Test
    void groupsAreFixedSlicesOfTheBatch() {
        Sum sum = new Sum(0);
        QueryBatch b = batch(7);
        QueryGroups.Evaluated all = QueryGroups.evaluateAll(b, 3, sum);
        double[] losses = all.losses();
        assertEquals(0, all.recomputedQueries());
        assertEquals(List.of(3, 3, 1), sum.groupSizes);
        for (int i = 0; i < 7; i++) {
            double expected = 0;
            for (double v : b.point(i)) {
                expected += v;
            }
            assertEquals(expected, losses[i], 0.0);
        }
        assertEquals(3, QueryGroups.count(7, 3));
    }

    @Test
    void aNonFiniteLossIsRecomputedOnceThenFatal() {
        Sum once = new Sum(1);
        QueryGroups.Evaluated recovered = QueryGroups.evaluate(batch(4), 0, 4, once);
        assertEquals(2, once.calls, "recomputed once");
        assertEquals(4, recovered.recomputedQueries(), "the group's 4 queries are counted as recomputed");
        assertArrayEquals(QueryGroups.evaluate(batch(4), 0, 4, new Sum(0)).losses(), recovered.losses(), 0.0);
        // Through evaluateAll and a local evaluator the count adds up over groups.
        assertEquals(4, QueryGroups.evaluateAll(batch(7), 4, new Sum(1)).recomputedQueries());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> QueryGroups.evaluate(batch(4), 0, 4, new Sum(2)));
        assertTrue(e.getMessage().contains("twice in a row"), e.getMessage());
    }
}
