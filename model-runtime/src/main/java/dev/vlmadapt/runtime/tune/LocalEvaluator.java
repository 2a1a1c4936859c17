package dev.vlmadapt.runtime.tune;

import dev.vlmadapt.runtime.objective.FewShotObjective;
import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import dev.vlmadapt.runtime.prompt.Parameterization;

/** Computes every query in this thread, with the same grouping as the distributed evaluator. */
public final class LocalEvaluator implements QueryEvaluator {
    private final MethodSpec method;
    private final Parameterization parameterization;
    private final FewShotObjective objective;
    private final int groupSize;

    /**
     * @param method the method (to rebuild its optimizer for chains)
     * @param parameterization maps points to contexts
     * @param objective the training objective
     * @param groupSize queries per text-tower pass
     */
    public LocalEvaluator(MethodSpec method, Parameterization parameterization, FewShotObjective objective,
            int groupSize) {
        this.method = method;
        this.parameterization = parameterization;
        this.objective = objective;
        this.groupSize = groupSize;
    }

    @Override
    public double[] losses(QueryBatch batch) {
        return QueryGroups.evaluateAll(batch, groupSize, parameterization, objective);
    }

    @Override
    public Chain chain(String optimizerState, int maxSteps, long maxQueries) {
        ZoOptimizer optimizer = method.optimizer(parameterization);
        optimizer.restore(optimizerState);
        return Chains.run(optimizer, maxSteps, maxQueries, this::losses);
    }
}
