package dev.vlmadapt.runtime.tune;

import dev.vlmadapt.runtime.optim.QueryBatch;

/** Where query losses are computed: in this process, or sharded over Spark executors. */
public interface QueryEvaluator {
    /**
     * @param batch query points
     * @return their losses on the training split, in order
     */
    double[] losses(QueryBatch batch);

    /**
     * Runs a sequential chain of optimizer steps in one place (one task on one executor), so that steps of a
     * few queries each do not pay a distributed round trip.
     *
     * @param optimizerState the optimizer's state before the chain
     * @param maxSteps steps to run at most
     * @param maxQueries queries to spend at most
     * @return the state after the chain and the queries spent
     */
    Chain chain(String optimizerState, int maxSteps, long maxQueries);

    /**
     * @return queries of this evaluator (chains included) whose loss was non-finite once and finite when
     *     recomputed: zero unless a transient fault happened
     */
    long recomputedQueries();

    /**
     * @param state optimizer state after the chain
     * @param queries queries spent
     * @param steps steps run
     * @param recomputedQueries queries recomputed after a non-finite loss
     */
    record Chain(String state, long queries, int steps, long recomputedQueries) implements java.io.Serializable {
    }
}
