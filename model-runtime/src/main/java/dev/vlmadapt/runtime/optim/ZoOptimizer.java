package dev.vlmadapt.runtime.optim;

/**
 * A forward-only optimizer as an ask/tell object: {@link #ask()} names the next query points, {@link #tell}
 * takes their losses. All randomness is derived from (seed, step, member), so the state returned by
 * {@link #state()} determines the rest of the run: it is what checkpoints hold and what a Spark task needs to
 * run a sequential chain of steps.
 */
public interface ZoOptimizer {
    /** @return the next query points */
    QueryBatch ask();

    /** @param losses the losses of the points of the last {@link #ask()}, in order */
    void tell(double[] losses);

    /** @return the current parameters (what is reported and evaluated) */
    double[] solution();

    /** @return the current stage, e.g. {@code "stage1"} */
    String stage();

    /**
     * @return the queries needed to complete the next step from here (for SharpZO's stage 1, the gradient and
     *     the generation), so that a budget is not spent on a step that cannot finish
     */
    long stepCost();

    /** @return completed optimizer steps (iterations or generations) */
    int step();

    /**
     * @return whether the next steps are a sequential chain (a few queries each, every step depending on the
     *     last), best run inside one task
     */
    boolean sequential();

    /**
     * Validation accuracy of {@link #solution()}, measured by the harness after a step; optimizers with an
     * automatic change point use it.
     *
     * @param accuracy validation top-1
     */
    default void validation(double accuracy) {
    }

    /** @return the full state as JSON */
    String state();

    /** @param json a state from {@link #state()} of an optimizer with the same settings */
    void restore(String json);
}
