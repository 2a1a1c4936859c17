package dev.vlmadapt.runtime.plan;

import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipFlops;

/**
 * Forward FLOPs of one query of a tuning run, from the model's configuration (counted as {@link ClipFlops}
 * counts them). A text-prompt query runs the text tower over the K class prompts at the cropped length and scores
 * the N cached training features against them; a visual-prompt query (BlackVIP) runs the image tower over the N
 * prompted training images and scores them against the fixed class features. The optimizer's own arithmetic
 * (projecting the subspace parameters, CMA-ES) is left out: it is small next to a tower pass.
 */
public final class QueryFlops {
    private QueryFlops() {
    }

    /**
     * @param model the CLIP
     * @param classes K
     * @param tokens the prompts' length after the EOT crop
     * @param images N training features scored
     * @return FLOPs of one text-prompt query
     */
    public static double textPrompt(ClipConfig model, int classes, int tokens, int images) {
        return classes * ClipFlops.text(model, tokens) + scores(model, classes, images);
    }

    /**
     * @param model the CLIP
     * @param classes K
     * @param images N training images prompted and encoded
     * @return FLOPs of one visual-prompt query
     */
    public static double visualPrompt(ClipConfig model, int classes, int images) {
        return images * ClipFlops.image(model) + scores(model, classes, images);
    }

    /**
     * CoOp's training epoch: per batch, the K prompts forward and backward (backward ≈ twice the forward) and the
     * batch's scores; every epoch sees the N training features once.
     *
     * @param model the CLIP
     * @param classes K
     * @param tokens the prompts' length after the EOT crop
     * @param images N
     * @param batchSize images per step
     * @return FLOPs of one epoch
     */
    public static double coopEpoch(ClipConfig model, int classes, int tokens, int images, int batchSize) {
        int steps = (images + batchSize - 1) / batchSize;
        return 3 * (steps * classes * ClipFlops.text(model, tokens) + scores(model, classes, images));
    }

    /** @return FLOPs of the N × K cosine scores (one multiply-add per feature dimension) */
    private static double scores(ClipConfig model, int classes, int images) {
        return 2.0 * images * classes * model.projectionDim();
    }
}
