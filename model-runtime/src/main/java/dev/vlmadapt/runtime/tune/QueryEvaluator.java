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
     * @param state optimizer state after the chain
     * @param queries queries spent
     * @param steps steps run
     */
    record Chain(String state, long queries, int steps) implements java.io.Serializable {
    }
}
