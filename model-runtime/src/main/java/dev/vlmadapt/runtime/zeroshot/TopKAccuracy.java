package dev.vlmadapt.runtime.zeroshot;

/**
 * Top-k accuracy. A prediction counts as correct when fewer than k classes score strictly higher than the true
 * class, so ties never count against the model and results do not depend on a sort's tie order.
 */
public final class TopKAccuracy {
    private TopKAccuracy() {
    }

    /**
     * @param scores {@code (N, K)} row-major scores
     * @param classes K
     * @param labels true class per row
     * @param k how many top classes count
     * @return number of correct rows
     */
    public static int countCorrect(float[] scores, int classes, int[] labels, int k) {
        if (scores.length != labels.length * classes) {
            throw new IllegalArgumentException(scores.length + " scores for " + labels.length + " rows of "
                    + classes + " classes");
        }
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            int label = labels[r];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("row " + r + ": label " + label + " outside [0, " + classes + ")");
            }
            float truth = scores[r * classes + label];
            int higher = 0;
            for (int c = 0; c < classes; c++) {
                if (scores[r * classes + c] > truth) {
                    higher++;
                }
            }
            if (higher < k) {
                correct++;
            }
        }
        return correct;
    }
}
