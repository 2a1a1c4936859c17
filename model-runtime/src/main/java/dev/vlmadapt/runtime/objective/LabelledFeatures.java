package dev.vlmadapt.runtime.objective;

/**
 * N labelled feature vectors checked and laid out for the objectives: features row-major {@code (N, P)},
 * labels one-hot {@code (N, K)}.
 */
final class LabelledFeatures {
    final int n;
    final float[] features;   // (N, P)
    final float[] oneHot;     // (N, K)

    /**
     * @param features N vectors of P floats
     * @param labels N labels in [0, K)
     * @param p P, the model's projection dimension
     * @param k K, the number of classes
     */
    LabelledFeatures(float[][] features, int[] labels, int p, int k) {
        if (features.length != labels.length || features.length == 0) {
            throw new IllegalArgumentException("need as many labels as features (and at least one), got "
                    + features.length + " features and " + labels.length + " labels");
        }
        n = features.length;
        this.features = new float[n * p];
        this.oneHot = new float[n * k];
        for (int i = 0; i < n; i++) {
            if (features[i].length != p) {
                throw new IllegalArgumentException("feature " + i + " has dimension " + features[i].length
                        + ", the model's projection dimension is " + p);
            }
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside [0, " + k
                        + ")");
            }
            System.arraycopy(features[i], 0, this.features, i * p, p);
            oneHot[i * k + labels[i]] = 1;
        }
    }
}
