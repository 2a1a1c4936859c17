package dev.vlmadapt.runtime.prompt;

/** A text prompt: maps an optimizer's parameter vector w to a context of n token embeddings. */
public interface Parameterization extends PromptSpace {
    /**
     * @param w d parameters
     * @return the context, {@code n·D} floats (row-major (n, D))
     */
    float[] context(double[] w);

    /**
     * The contexts of several points, each exactly {@link #context} of that point; a parameterization may compute
     * them together faster (a query group is one call).
     *
     * @param points C points of d parameters
     * @return C contexts
     */
    default float[][] contexts(double[][] points) {
        float[][] out = new float[points.length][];
        for (int i = 0; i < points.length; i++) {
            out[i] = context(points[i]);
        }
        return out;
    }
}
