package dev.vlmadapt.runtime.select;

import java.util.ArrayList;
import java.util.List;

/**
 * MLL's per-class model selection from node scores: p[m][y] = Σ_v Z[v][y]·p[m][v] (how well model m does on the
 * nodes class y matched), r[m][y] = α·p[m][y] + (1 − α)·mean over the other classes y' of p[m][y'] (MLL's
 * released code leaves y out of the task-level mean; the paper writes α = 0.7), and each class takes the k
 * models with the highest r. A model's predicted score on the task is its mean p over the classes.
 *
 * @param classScores p, {@code [models][classes]}
 * @param mixedScores r, {@code [models][classes]}
 * @param chosen per class, the chosen model indices, best first
 * @param modelScores per model, mean of p over the classes
 */
public record MllSelection(double[][] classScores, double[][] mixedScores, List<int[]> chosen,
        double[] modelScores) {
    /**
     * @param nodeScores per model, its score on each selected node, {@code [models][selected]}
     * @param match the class-to-node match
     * @param alpha weight of the class's own score (MLL: 0.7)
     * @param k models per class
     * @return the selection
     */
    public static MllSelection of(double[][] nodeScores, NodeMatch match, double alpha, int k) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        int models = nodeScores.length;
        int classes = match.topNodes().size();
        double[][] p = new double[models][classes];
        for (int m = 0; m < models; m++) {
            if (nodeScores[m].length != match.selected().length) {
                throw new IllegalArgumentException("model " + m + " has " + nodeScores[m].length + " node scores for "
                        + match.selected().length + " selected nodes");
            }
            for (int y = 0; y < classes; y++) {
                for (int v = 0; v < match.selected().length; v++) {
                    p[m][y] += match.weights()[v][y] * nodeScores[m][v];
                }
            }
        }
        double[][] r = new double[models][classes];
        double[] mean = new double[models];
        for (int m = 0; m < models; m++) {
            double sum = 0;
            for (int y = 0; y < classes; y++) {
                sum += p[m][y];
            }
            mean[m] = sum / classes;
            for (int y = 0; y < classes; y++) {
                double others = classes > 1 ? (sum - p[m][y]) / (classes - 1) : p[m][y];
                r[m][y] = alpha * p[m][y] + (1 - alpha) * others;
            }
        }
        List<int[]> chosen = new ArrayList<>();
        for (int y = 0; y < classes; y++) {
            double[] col = new double[models];
            for (int m = 0; m < models; m++) {
                col[m] = r[m][y];
            }
            chosen.add(RankingMetrics.topK(col, k));
        }
        return new MllSelection(p, r, chosen, mean);
    }

    /**
     * @return how many classes chose each model (among their k)
     */
    public int[] votes() {
        int[] out = new int[modelScores.length];
        for (int[] c : chosen) {
            for (int m : c) {
                out[m]++;
            }
        }
        return out;
    }
}
