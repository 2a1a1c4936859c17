package dev.vlmadapt.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.runtime.clip.Scalars;
import dev.vlmadapt.runtime.clip.TransformerEncoder;
import dev.vlmadapt.runtime.zeroshot.ZeroShotClassifier;

/**
 * CLIP's symmetric contrastive loss over a batch of B image–caption pairs. Captions built from class names
 * repeat within a batch, so pairs whose captions name the same class are all positives: the cross-entropy
 * target of each row is spread evenly over them (with distinct classes this is exactly CLIP's loss).
 */
public final class ContrastiveLoss {
    /** CLIP clamps the learned temperature at 100. */
    public static final float MAX_LOG_SCALE = (float) Math.log(100);

    private ContrastiveLoss() {
    }

    /**
     * @param image {@code (B, P)} image features
     * @param text {@code (B, P)} features of each image's caption
     * @param classOf class of each pair (any ids; equal ids are positives)
     * @param logScale {@code ()} learned log temperature
     * @return {@code ()} mean of the image→text and text→image cross-entropies
     */
    public static NDArray compute(NDArray image, NDArray text, int[] classOf, NDArray logScale) {
        NDManager m = image.getManager();
        int b = classOf.length;
        // Through a view in this step's manager, so that the clamp and its bounds are freed with the step (an op on
        // the weight itself would leave them in the weights' manager until training ends).
        NDArray scale = TransformerEncoder.into(logScale.reshape(new Shape()), m)
                .clip(Float.NEGATIVE_INFINITY, MAX_LOG_SCALE).exp();
        NDArray logits = ZeroShotClassifier.normalize(image)
                .matMul(ZeroShotClassifier.normalize(text).transpose()).mul(scale);  // (B, B)
        NDArray targets = m.create(targets(classOf), new Shape(b, b));              // (B, B), rows sum to 1
        NDArray imageToText = logits.logSoftmax(1).mul(targets).sum().neg();
        NDArray textToImage = logits.transpose().logSoftmax(1).mul(targets).sum().neg();
        return Scalars.div(imageToText.add(textToImage), 2f * b);
    }

    /** Row-normalised same-class indicator; symmetric because the relation is. */
    static float[] targets(int[] classOf) {
        int b = classOf.length;
        float[] t = new float[b * b];
        for (int i = 0; i < b; i++) {
            int count = 0;
            for (int j = 0; j < b; j++) {
                if (classOf[i] == classOf[j]) {
                    count++;
                }
            }
            for (int j = 0; j < b; j++) {
                if (classOf[i] == classOf[j]) {
                    t[i * b + j] = 1f / count;
                }
            }
        }
        return t;
    }
}
