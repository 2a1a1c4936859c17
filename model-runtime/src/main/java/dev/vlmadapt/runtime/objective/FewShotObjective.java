package dev.vlmadapt.runtime.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import dev.vlmadapt.runtime.zeroshot.TopKAccuracy;
import dev.vlmadapt.runtime.zeroshot.ZeroShotClassifier;

/**
 * The few-shot objective on cached image features: for a candidate context, the K class prompts go through the
 * text tower, and the loss is the cross-entropy of {@code logitScale · cos(image, class)} over all cached
 * images (full batch), with the accuracy alongside. The image tower never runs. Candidates given together are
 * evaluated in one text-tower pass; callers that need bit-identical losses however the work is split must
 * give the same groups (see {@code QueryGroups}).
 */
public final class FewShotObjective implements AutoCloseable {
    /**
     * Loss and accuracy of one candidate.
     *
     * @param loss mean cross-entropy (non-finite when the model produced a non-finite score)
     * @param accuracy top-1 with ties shared fairly (see {@link TopKAccuracy}); NaN when any score was NaN or
     *     infinite, so that a broken model never gets an accuracy
     */
    public record Result(double loss, double accuracy) {
    }

    private final ClipModel model;
    private final ClassPrompts prompts;
    private final NDManager manager;
    private final NDArray featuresT;  // (P, N) unit norm, transposed once: a per-query transpose leaked handles
    private final NDArray oneHot;     // (N, K)
    private final int n;

    /**
     * @param model the CLIP
     * @param prompts its class prompts
     * @param features N image features (any norm), each of the model's projection dimension
     * @param labels N labels in [0, K)
     */
    public FewShotObjective(ClipModel model, ClassPrompts prompts, float[][] features, int[] labels) {
        int p = model.config().projectionDim();
        int k = prompts.classes();
        LabelledFeatures data = new LabelledFeatures(features, labels, p, k);
        this.model = model;
        this.prompts = prompts;
        this.n = data.n;
        this.manager = model.weights().manager().newSubManager();
        this.featuresT = ZeroShotClassifier.normalize(manager.create(data.features, new Shape(n, p))).transpose();
        this.oneHot = manager.create(data.oneHot, new Shape(n, k));
    }

    /** @return N, the number of cached images */
    public int size() {
        return n;
    }

    /** @return the class prompts */
    public ClassPrompts prompts() {
        return prompts;
    }

    /**
     * @param contexts C candidate contexts, each {@code n·D} floats (row-major (n, D))
     * @return their losses and accuracies
     */
    public Result[] evaluate(float[][] contexts) {
        int c = contexts.length;
        int ctx = prompts.contextTokens();
        int d = prompts.width();
        float[] flat = new float[c * ctx * d];
        for (int i = 0; i < c; i++) {
            if (contexts[i].length != ctx * d) {
                throw new IllegalArgumentException("context " + i + " has " + contexts[i].length + " values, expected "
                        + ctx + "×" + d);
            }
            System.arraycopy(contexts[i], 0, flat, i * ctx * d, ctx * d);
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray g = ZeroShotClassifier.normalize(model.encodeWithContext(prompts.tokens(), ClassPrompts.START,
                    m.create(flat, new Shape(c, ctx, d)), m));                              // (C, K, P)
            // Called on g (in m), so that every intermediate lives in m and is freed with it.
            NDArray logits = g.matMul(featuresT).transpose(0, 2, 1)
                    .mul(model.logitScale());                                                 // (C, N, K)
            NDArray logp = logits.logSoftmax(2);                                              // (C, N, K)
            float[] loss = logp.mul(oneHot).sum(new int[] {1, 2}).div(-n).toFloatArray();     // (C)
            long[] bad = TopKAccuracy.nonFiniteCount(logits).toLongArray();                   // (C)
            float[] correct = TopKAccuracy.top1Credit(logits, oneHot).sum(new int[] {1})
                    .toFloatArray();                                                          // (C)
            Result[] out = new Result[c];
            for (int i = 0; i < c; i++) {
                out[i] = new Result(loss[i], bad[i] > 0 ? Double.NaN : correct[i] / (double) n);
            }
            return out;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
