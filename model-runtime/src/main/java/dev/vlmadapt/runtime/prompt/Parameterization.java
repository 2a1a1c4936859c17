package dev.vlmadapt.runtime.prompt;

/** A text prompt: maps an optimizer's parameter vector w to a context of n token embeddings. */
public interface Parameterization extends PromptSpace {
    /**
     * @param w d parameters
     * @return the context, {@code n·D} floats (row-major (n, D))
     */
    float[] context(double[] w);
}
