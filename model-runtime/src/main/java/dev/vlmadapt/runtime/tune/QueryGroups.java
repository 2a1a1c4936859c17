package dev.vlmadapt.runtime.tune;

import dev.vlmadapt.runtime.objective.FewShotObjective;
import dev.vlmadapt.runtime.objective.PointObjective;
import dev.vlmadapt.runtime.optim.QueryBatch;

/**
 * Evaluates query points in fixed groups: query i belongs to group ⌊i / G⌋, and each group is one pass of the
 * objective. A loss then depends only on its group, never on how groups are spread over tasks, threads or
 * machines, which is what makes distributed runs bit-identical to local ones.
 */
public final class QueryGroups {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QueryGroups.class);

    private QueryGroups() {
    }

    /**
     * Losses of some queries.
     *
     * @param losses in query order
     * @param recomputedQueries how many of them were non-finite once and recomputed (a transient fault)
     */
    public record Evaluated(double[] losses, int recomputedQueries) implements java.io.Serializable {
    }

    /**
     * @param size number of queries
     * @param groupSize G
     * @return number of groups
     */
    public static int count(int size, int groupSize) {
        return (size + groupSize - 1) / groupSize;
    }

    /**
     * @param batch the queries
     * @param group group index
     * @param groupSize G
     * @param objective the training objective
     * @return the group's losses, in query order
     */
    public static Evaluated evaluate(QueryBatch batch, int group, int groupSize, PointObjective objective) {
        int from = group * groupSize;
        int to = Math.min(batch.size(), from + groupSize);
        double[][] points = new double[to - from][];
        for (int i = from; i < to; i++) {
            points[i - from] = batch.point(i);
        }
        double[] losses = losses(objective.evaluate(points));
        int recomputed = 0;
        if (!allFinite(losses)) {
            // Losses of finite points are finite; see CoopTrainer for the one time a non-finite value was seen.
            LOG.warn("query group {} of a batch of {}: non-finite loss; recomputing", group, batch.size());
            losses = losses(objective.evaluate(points));
            if (!allFinite(losses)) {
                throw new IllegalStateException("query group " + group + ": non-finite losses twice in a row "
                        + java.util.Arrays.toString(losses));
            }
            recomputed = points.length;
        }
        return new Evaluated(losses, recomputed);
    }

    private static double[] losses(FewShotObjective.Result[] r) {
        double[] losses = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            losses[i] = r[i].loss();
        }
        return losses;
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param batch the queries
     * @param groupSize G
     * @param objective the training objective
     * @return all losses, group by group in this thread
     */
    public static Evaluated evaluateAll(QueryBatch batch, int groupSize, PointObjective objective) {
        double[] losses = new double[batch.size()];
        int recomputed = 0;
        for (int g = 0; g < count(batch.size(), groupSize); g++) {
            Evaluated part = evaluate(batch, g, groupSize, objective);
            System.arraycopy(part.losses(), 0, losses, g * groupSize, part.losses().length);
            recomputed += part.recomputedQueries();
        }
        return new Evaluated(losses, recomputed);
    }
}
