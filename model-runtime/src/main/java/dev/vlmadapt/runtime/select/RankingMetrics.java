package dev.vlmadapt.runtime.select;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;

/**
 * How well a predicted score per model ranks the models against their true accuracy on a target: Kendall's τ
 * (τ-b, commons-math), the regret of taking the predicted best, top-k recall, the mean absolute error of
 * predicted accuracies, and LOVM's two definitions (top-5 recall, and τ over the models that are in both top-5
 * lists, 0 when fewer than three are). Higher scores are better; ties in a top-k list go to the lower index.
 */
public final class RankingMetrics {
    private RankingMetrics() {
    }

    /**
     * @param predicted predicted score per model
     * @param truth true accuracy per model, same order
     * @return Kendall's τ-b between them (NaN when either is constant)
     */
    public static double kendallTau(double[] predicted, double[] truth) {
        check(predicted, truth);
        if (predicted.length < 2) {
            return Double.NaN;
        }
        return new KendallsCorrelation().correlation(predicted, truth);
    }

    /**
     * @param predicted predicted score per model
     * @param truth true accuracy per model
     * @return best true accuracy minus the true accuracy of the predicted best model (0 = the best was picked)
     */
    public static double topOneRegret(double[] predicted, double[] truth) {
        check(predicted, truth);
        return max(truth) - truth[topK(predicted, 1)[0]];
    }

    /**
     * @param predicted predicted score per model
     * @param truth true accuracy per model
     * @param k list length
     * @return the share of the true top-k models that are in the predicted top-k
     */
    public static double topKRecall(double[] predicted, double[] truth, int k) {
        check(predicted, truth);
        int[] p = topK(predicted, k);
        int[] t = topK(truth, k);
        int hits = 0;
        for (int i : t) {
            for (int j : p) {
                hits += i == j ? 1 : 0;
            }
        }
        return (double) hits / t.length;
    }

    /**
     * LOVM's τ: Kendall's τ between the true and predicted ranks of the models that are in both top-k lists;
     * 0 when fewer than three models are in both.
     *
     * @param predicted predicted score per model
     * @param truth true accuracy per model
     * @param k list length (LOVM: 5)
     * @return that τ
     */
    public static double lovmTau(double[] predicted, double[] truth, int k) {
        check(predicted, truth);
        int[] p = topK(predicted, k);
        List<Integer> both = new ArrayList<>();
        for (int i : topK(truth, k)) {
            if (Arrays.stream(p).anyMatch(j -> j == i)) {
                both.add(i);
            }
        }
        if (both.size() < 3) {
            return 0;
        }
        double[] a = new double[both.size()];
        double[] b = new double[both.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = predicted[both.get(i)];
            b[i] = truth[both.get(i)];
        }
        double tau = kendallTau(a, b);
        return Double.isNaN(tau) ? 0 : tau;
    }

    /**
     * @param predicted predicted accuracy per model
     * @param truth true accuracy per model
     * @return mean |predicted − truth|
     */
    public static double meanAbsoluteError(double[] predicted, double[] truth) {
        check(predicted, truth);
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            s += Math.abs(predicted[i] - truth[i]);
        }
        return s / truth.length;
    }

    /**
     * @param scores a score per item
     * @param k how many
     * @return the indices of the k highest scores, best first (ties: lower index first)
     */
    public static int[] topK(double[] scores, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        int n = Math.min(k, order.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = order[i];
        }
        return out;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static void check(double[] predicted, double[] truth) {
        if (predicted.length != truth.length || truth.length == 0) {
            throw new IllegalArgumentException("need one prediction per model: " + predicted.length
                    + " predictions, " + truth.length + " true accuracies");
        }
        for (int i = 0; i < truth.length; i++) {
            if (Double.isNaN(predicted[i]) || Double.isNaN(truth[i])) {
                throw new IllegalArgumentException("model " + i + " has no " + (Double.isNaN(truth[i]) ? "true"
                        : "predicted") + " score");
            }
        }
    }
}
