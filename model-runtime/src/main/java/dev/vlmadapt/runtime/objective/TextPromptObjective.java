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
        return objective.evaluate(parameterization.contexts(points));
    }

    @Override
    public void close() {
        if (owner) {
            objective.close();
        }
    }
}
