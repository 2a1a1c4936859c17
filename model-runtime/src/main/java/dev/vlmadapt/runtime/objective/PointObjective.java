package dev.vlmadapt.runtime.objective;

/**
 * A loss over a labelled image set as a function of an optimizer's parameters: what a query evaluates. Points
 * given together are evaluated together (one text-tower or image-tower pass); callers that need bit-identical
 * losses however the work is split must give the same groups (see {@code QueryGroups}).
 */
public interface PointObjective extends AutoCloseable {
    /** @return N, the number of images the loss averages over */
    int size();

    /**
     * @param points C parameter vectors
     * @return their losses and accuracies
     */
    FewShotObjective.Result[] evaluate(double[][] points);

    @Override
    void close();
}
