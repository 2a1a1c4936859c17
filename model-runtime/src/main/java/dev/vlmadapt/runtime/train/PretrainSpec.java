package dev.vlmadapt.runtime.train;

/**
 * Hyper-parameters of contrastive pretraining.
 *
 * @param epochs passes over the union of all datasets
 * @param batchSize image–caption pairs per step
 * @param learningRate peak AdamW learning rate
 * @param weightDecay decoupled weight decay on matrices (not on gains, biases, embeddings or the temperature)
 * @param warmupSteps linear warm-up steps before the cosine decay
 * @param seed seed of initialisation, shuffling and caption sampling
 * @param gradClipNorm largest global gradient norm of a step (larger gradients are scaled down); 0 = no clipping
 * @param augmentation style-breaking augmentation of the training images, or null for none
 */
public record PretrainSpec(int epochs, int batchSize, float learningRate, float weightDecay, int warmupSteps,
        long seed, double gradClipNorm, dev.vlmadapt.runtime.image.StyleAugmentation augmentation)
        implements java.io.Serializable {

    /** Without augmentation. */
    public PretrainSpec(int epochs, int batchSize, float learningRate, float weightDecay, int warmupSteps, long seed,
            double gradClipNorm) {
        this(epochs, batchSize, learningRate, weightDecay, warmupSteps, seed, gradClipNorm, null);
    }

    /** Validates ranges. */
    public PretrainSpec {
        if (epochs <= 0 || batchSize <= 1) {
            throw new IllegalArgumentException("epochs must be > 0 and batch size > 1, got " + epochs + ", "
                    + batchSize);
        }
        if (!(learningRate > 0) || weightDecay < 0 || warmupSteps < 0 || !(gradClipNorm >= 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, weight decay, warm-up and gradient clip"
                    + " norm >= 0");
        }
    }
}
