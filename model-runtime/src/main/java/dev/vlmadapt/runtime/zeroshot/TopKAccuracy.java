package dev.vlmadapt.runtime.zeroshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Top-k accuracy that cannot flatter a broken model. Ties are shared fairly: when the true class ties with
 * other classes, a row counts by the chance that a uniformly random order of the tied classes puts the true
 * class among the first k (a constant model scores k/K, not 100%). A non-finite score is refused: NaN compares
 * false with everything, so counting "classes scoring higher" would call a NaN model perfect.
 */
public final class TopKAccuracy {
    private TopKAccuracy() {
    }

    /** A row held a NaN or infinite score: the model that produced it is broken. */
    public static final class NonFiniteScoresException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        /** @param message where the score was found */
        public NonFiniteScoresException(String message) {
            super(message);
        }
    }

    /**
     * @param higher classes scoring strictly higher than the true class
     * @param tied classes scoring exactly as the true class, itself included (≥ 1)
     * @param k how many top classes count
     * @return the probability that the true class lands in the top k under a random tie-break
     */
    public static double credit(int higher, int tied, int k) {
        if (tied < 1) {
            throw new IllegalArgumentException("tied counts the true class, so it is at least 1: " + tied);
        }
        if (higher >= k) {
            return 0;
        }
        return Math.min(tied, k - higher) / (double) tied;
    }

    /**
     * @param scores {@code (N, K)} row-major scores
     * @param classes K
     * @param labels true class per row
     * @param k how many top classes count
     * @return the expected number of correct rows (fractional where ties are shared)
     * @throws NonFiniteScoresException if any score is NaN or infinite
     */
    public static double expectedCorrect(float[] scores, int classes, int[] labels, int k) {
        double correct = 0;
        for (double c : credits(scores, classes, labels, k)) {
            correct += c;
        }
        return correct;
    }

    /**
     * @param credits each row's top-1 credit ({@link #credits})
     * @param labels each row's class
     * @param classes K
     * @return the mean over the classes that have rows of their mean credit (balanced accuracy); 0 without rows
     */
    public static double meanPerClassRecall(double[] credits, int[] labels, int classes) {
        double[] sum = new double[classes];
        int[] count = new int[classes];
        for (int r = 0; r < labels.length; r++) {
            sum[labels[r]] += credits[r];
            count[labels[r]]++;
        }
        double recall = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (count[c] > 0) {
                recall += sum[c] / count[c];
                present++;
            }
        }
        return present == 0 ? 0 : recall / present;
    }

    /**
     * @param scores {@code (N, K)} row-major scores
     * @param classes K
     * @param labels true class per row
     * @param k how many top classes count
     * @return each row's credit in [0, 1] ({@link #credit})
     * @throws NonFiniteScoresException if any score is NaN or infinite
     */
    public static double[] credits(float[] scores, int classes, int[] labels, int k) {
        if (scores.length != labels.length * classes) {
            throw new IllegalArgumentException(scores.length + " scores for " + labels.length + " rows of "
                    + classes + " classes");
        }
        double[] out = new double[labels.length];
        for (int r = 0; r < labels.length; r++) {
            int label = labels[r];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("row " + r + ": label " + label + " outside [0, " + classes + ")");
            }
            float truth = scores[r * classes + label];
            int higher = 0;
            int tied = 0;
            for (int c = 0; c < classes; c++) {
                float s = scores[r * classes + c];
                if (!Float.isFinite(s)) {
                    throw new NonFiniteScoresException("row " + r + ": score " + s + " for class " + c);
                }
                if (s > truth) {
                    higher++;
                } else if (s == truth) {
                    tied++;
                }
            }
            out[r] = credit(higher, tied, k);
        }
        return out;
    }

    /**
     * Top-1 credit of every row on the device, ties shared as in {@link #credit}.
     *
     * @param logits {@code (..., K)} scores, all finite (check with {@link #nonFiniteCount} first)
     * @param oneHot {@code (..., K)} the true class of each row, broadcastable to {@code logits}
     * @return {@code (...)} float32 credit in [0, 1] per row
     */
    public static NDArray top1Credit(NDArray logits, NDArray oneHot) {
        int last = logits.getShape().dimension() - 1;
        // With finite scores, x·1 plus exact zeros is x, so this picks the true class's score exactly.
        NDArray truth = logits.mul(oneHot).sum(new int[] {last}, true);                   // (..., 1)
        NDArray higher = logits.gt(truth).toType(DataType.FLOAT32, false).sum(new int[] {last});   // (...)
        NDArray tied = logits.eq(truth).toType(DataType.FLOAT32, false).sum(new int[] {last});     // (...)
        return higher.eq(0).toType(DataType.FLOAT32, false).div(tied);
    }

    /**
     * @param logits {@code (C, ...)} scores of C candidates
     * @return {@code (C)} int64 number of NaN or infinite scores per candidate
     */
    public static NDArray nonFiniteCount(NDArray logits) {
        int[] rest = new int[logits.getShape().dimension() - 1];
        for (int i = 0; i < rest.length; i++) {
            rest[i] = i + 1;
        }
        NDArray bad = logits.isNaN().logicalOr(logits.isInfinite()).toType(DataType.INT64, false);
        return rest.length == 0 ? bad : bad.sum(rest);
    }
}
