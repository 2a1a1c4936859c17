package dev.vlmadapt.runtime.tune;

import dev.vlmadapt.runtime.objective.PointObjective;
import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import dev.vlmadapt.runtime.prompt.PromptSpace;

/** Computes every query in this thread, with the same grouping as the distributed evaluator. */
public final class LocalEvaluator implements QueryEvaluator {
    private final MethodSpec method;
    private final PromptSpace space;
    private final PointObjective objective;
    private final int groupSize;
    private long recomputed;

    /**
     * @param method the method (to rebuild its optimizer for chains)
     * @param space the prompt space
     * @param objective the training objective
     * @param groupSize queries per pass of the objective
     */
    public LocalEvaluator(MethodSpec method, PromptSpace space, PointObjective objective, int groupSize) {
        this.method = method;
        this.space = space;
        this.objective = objective;
        this.groupSize = groupSize;
    }

    @Override
    public double[] losses(QueryBatch batch) {
        QueryGroups.Evaluated e = QueryGroups.evaluateAll(batch, groupSize, objective);
        recomputed += e.recomputedQueries();
        return e.losses();
    }

    @Override
    public Chain chain(String optimizerState, int maxSteps, long maxQueries) {
        ZoOptimizer optimizer = method.optimizer(space);
        optimizer.restore(optimizerState);
        Chain c = Chains.run(optimizer, maxSteps, maxQueries, b -> QueryGroups.evaluateAll(b, groupSize, objective));
        recomputed += c.recomputedQueries();
        return c;
    }

    @Override
    public long recomputedQueries() {
        return recomputed;
    }
}
