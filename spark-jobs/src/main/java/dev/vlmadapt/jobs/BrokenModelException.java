package dev.vlmadapt.jobs;

/**
 * A model produced NaN or infinite scores on a dataset, so no accuracy can be reported for it. Jobs refuse
 * such a model instead of scoring it: NaN compares false with everything, and a rank-based accuracy would
 * otherwise call the model perfect.
 */
public final class BrokenModelException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param model the model (directory or URI)
     * @param dataset the dataset and split, e.g. {@code fashion-mnist/test}
     * @param detail where the first bad score was seen
     * @param cause the evaluator's exception, if any
     */
    public BrokenModelException(String model, String dataset, String detail, Throwable cause) {
        super("model " + model + " gives non-finite class scores on " + dataset + " (" + detail + "): its weights"
                + " or activations are NaN or infinite, so no accuracy is reported", cause);
    }
}
