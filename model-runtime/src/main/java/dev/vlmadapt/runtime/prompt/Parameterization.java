package dev.vlmadapt.runtime.prompt;

import java.io.Serializable;

/**
 * Maps an optimizer's parameter vector w to a context of n token embeddings. Implementations are small,
 * serialisable descriptions (seeds, p0); the matrices they imply are rebuilt where they are used.
 */
public interface Parameterization extends Serializable {
    /** @return d, the number of parameters */
    int dimension();

    /** @return the initial parameters */
    double[] initial();

    /**
     * @param w d parameters
     * @return the context, {@code n·D} floats (row-major (n, D))
     */
    float[] context(double[] w);
}
