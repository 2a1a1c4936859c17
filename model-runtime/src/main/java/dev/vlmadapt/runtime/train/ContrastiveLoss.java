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
 * target of each row is spread evenly over them (with distinct classes this is exactly CLIP's loss). More
 * generally a caption is a positive of every image it describes (a caption shared by two classes, such as "an
 * emoji of a mammal", describes both), which need not be symmetric: the text→image rows then read the columns.
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
        return compute(image, text, sameClass(classOf), logScale);
    }

    /**
     * @param image {@code (B, P)} image features
     * @param text {@code (B, P)} features of each image's caption
     * @param positive {@code (B, B)} row-major: whether caption j describes image i (the diagonal must hold)
     * @param logScale {@code ()} learned log temperature
     * @return {@code ()} mean of the image→text and text→image cross-entropies, each row's target spread evenly
     *     over its positives
     */
    public static NDArray compute(NDArray image, NDArray text, boolean[] positive, NDArray logScale) {
        NDManager m = image.getManager();
        int b = (int) image.getShape().get(0);
        // Through a view in this step's manager, so that the clamp and its bounds are freed with the step (an op on
        // the weight itself would leave them in the weights' manager until training ends).
        NDArray scale = TransformerEncoder.into(logScale.reshape(new Shape()), m)
                .clip(Float.NEGATIVE_INFINITY, MAX_LOG_SCALE).exp();
        NDArray logits = ZeroShotClassifier.normalize(image)
                .matMul(ZeroShotClassifier.normalize(text).transpose()).mul(scale);  // (B, B)
        float[] rows = rowNormalised(positive, b, false);
        float[] columns = rowNormalised(positive, b, true);
        NDArray imageToText = logits.logSoftmax(1).mul(m.create(rows, new Shape(b, b))).sum().neg();
        NDArray textToImage = logits.transpose().logSoftmax(1).mul(m.create(columns, new Shape(b, b))).sum().neg();
        return Scalars.div(imageToText.add(textToImage), 2f * b);
    }

    /** The same-class relation as a positive matrix. */
    static boolean[] sameClass(int[] classOf) {
        int b = classOf.length;
        boolean[] p = new boolean[b * b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                p[i * b + j] = classOf[i] == classOf[j];
            }
        }
        return p;
    }

    /**
     * Each row's positives weighted 1/count (rows sum to 1); {@code transposed} reads the matrix by columns
     * (the text→image direction).
     */
    static float[] rowNormalised(boolean[] positive, int b, boolean transposed) {
        if (positive.length != b * b) {
            throw new IllegalArgumentException(positive.length + " positive flags for a batch of " + b);
        }
        float[] t = new float[b * b];
        for (int i = 0; i < b; i++) {
            int count = 0;
            for (int j = 0; j < b; j++) {
                if (positive[transposed ? j * b + i : i * b + j]) {
                    count++;
                }
            }
            if (!positive[i * b + i]) {
                throw new IllegalArgumentException("pair " + i + " is not a positive of itself");
            }
            for (int j = 0; j < b; j++) {
                if (positive[transposed ? j * b + i : i * b + j]) {
                    t[i * b + j] = 1f / count;
                }
            }
        }
        return t;
    }
}
