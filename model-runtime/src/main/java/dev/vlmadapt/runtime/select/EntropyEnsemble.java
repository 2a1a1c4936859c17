package dev.vlmadapt.runtime.select;

import java.util.List;

/**
 * MLL's reuse: the models chosen for each class vote for it with their zero-shot probability, each weighted per
 * image by the inverse entropy of its whole prediction (a confident model counts more):
 * score_y(x) = Σ_{m ∈ F_y} P_m(y|x) / H(P_m(·|x)), prediction = argmax_y score_y(x).
 */
public final class EntropyEnsemble {
    /** Floor on the entropy (nats), so that a one-hot prediction has a finite weight. */
    static final double MIN_ENTROPY = 1e-6;

    private EntropyEnsemble() {
    }

    /**
     * @param probabilities per model (of the hub; models not chosen may be null), {@code [images][classes]}
     *     softmax probabilities over the target's classes
     * @param chosen per class, the indices of the models chosen for it
     * @return the predicted class of each image
     */
    public static int[] predict(List<double[][]> probabilities, List<int[]> chosen) {
        int images = -1;
        for (int[] c : chosen) {
            for (int m : c) {
                if (probabilities.get(m) == null) {
                    throw new IllegalArgumentException("model " + m + " is chosen but has no probabilities");
                }
                images = probabilities.get(m).length;
            }
        }
        if (images < 0) {
            throw new IllegalArgumentException("no model chosen for any class");
        }
        int classes = chosen.size();
        double[][] weight = new double[probabilities.size()][];
        for (int m = 0; m < probabilities.size(); m++) {
            double[][] p = probabilities.get(m);
            if (p == null) {
                continue;
            }
            if (p.length != images || p[0].length != classes) {
                throw new IllegalArgumentException("model " + m + ": probabilities are " + p.length + "×" + p[0].length
                        + ", expected " + images + "×" + classes);
            }
            weight[m] = new double[images];
            for (int i = 0; i < images; i++) {
                weight[m][i] = 1.0 / Math.max(entropy(p[i]), MIN_ENTROPY);
            }
        }
        int[] out = new int[images];
        for (int i = 0; i < images; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int y = 0; y < classes; y++) {
                double s = 0;
                for (int m : chosen.get(y)) {
                    s += weight[m][i] * probabilities.get(m)[i][y];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = y;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * @param p a probability vector
     * @return its entropy in nats
     */
    public static double entropy(double[] p) {
        double h = 0;
        for (double q : p) {
            if (q > 0) {
                h -= q * Math.log(q);
            }
        }
        return h;
    }
}
