package dev.vlmadapt.runtime.objective;

import java.io.Serializable;

/**
 * A labelled image set as the objectives see it: cached image features, labels and, for methods that change
 * the images (BlackVIP), the preprocessed pixels.
 *
 * @param features N image features
 * @param labels N labels
 * @param pixels {@code (N, 3, S, S)} normalised pixels, row-major, or null when not loaded
 */
public record FewShotSet(float[][] features, int[] labels, float[] pixels) implements Serializable {
    public FewShotSet {
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " features but " + labels.length + " labels");
        }
    }

    /** @return N */
    public int size() {
        return labels.length;
    }
}
