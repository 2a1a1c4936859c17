package dev.vlmadapt.runtime.tune;

import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import java.util.function.Function;

/** A chain of sequential optimizer steps, run wherever the objective is. */
public final class Chains {
    private Chains() {
    }

    /**
     * Steps while the optimizer stays sequential, up to the limits.
     *
     * @param optimizer restored to the chain's start
     * @param maxSteps steps at most
     * @param maxQueries queries at most (a step that would exceed it is not started)
     * @param losses evaluates a batch
     * @return the chain's result
     */
    public static QueryEvaluator.Chain run(ZoOptimizer optimizer, int maxSteps, long maxQueries,
            Function<QueryBatch, QueryGroups.Evaluated> losses) {
        long queries = 0;
        int steps = 0;
        long recomputed = 0;
        while (steps < maxSteps && optimizer.sequential()) {
            QueryBatch batch = optimizer.ask();
            if (queries + batch.size() > maxQueries) {
                break;
            }
            QueryGroups.Evaluated e = losses.apply(batch);
            optimizer.tell(e.losses());
            recomputed += e.recomputedQueries();
            queries += batch.size();
            steps++;
        }
        return new QueryEvaluator.Chain(optimizer.state(), queries, steps, recomputed);
    }
}
