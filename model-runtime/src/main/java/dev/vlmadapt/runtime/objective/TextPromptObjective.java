package dev.vlmadapt.runtime.objective;

import dev.vlmadapt.runtime.prompt.Parameterization;

/** A text prompt's points through its parameterization into the cached-feature objective. */
public final class TextPromptObjective implements PointObjective {
    private final Parameterization parameterization;
    private final FewShotObjective objective;
    private final boolean owner;

    /**
     * @param parameterization maps points to contexts
     * @param objective the loss of contexts
     * @param owner whether closing this closes {@code objective}
     */
    public TextPromptObjective(Parameterization parameterization, FewShotObjective objective, boolean owner) {
        this.parameterization = parameterization;
        this.objective = objective;
        this.owner = owner;
    }

    @Override
    public int size() {
        return objective.size();
    }

    @Override
    public FewShotObjective.Result[] evaluate(double[][] points) {
        float[][] contexts = new float[points.length][];
        for (int i = 0; i < points.length; i++) {
            contexts[i] = parameterization.context(points[i]);
        }
        return objective.evaluate(contexts);
    }

    @Override
    public void close() {
        if (owner) {
            objective.close();
        }
    }
}
