package dev.vlmadapt.runtime.select;

import java.util.List;

/**
 * The rows of the hub benchmark: each method's result on one target against the models' true zero-shot top-1
 * there. A ranking method (INB, table similarity) is scored by the model it ranks first; MLL by its reuse
 * ensemble, with the accuracy of the model most classes chose beside it; oracle and random bound them.
 */
public final class SelectionBenchmark {
    /**
     * One method on one target.
     *
     * @param target the target
     * @param method mll, inb, table-similarity, oracle or random
     * @param k models per class (MLL), else 1
     * @param accuracy top-1 on the target's test split: the ensemble's (MLL), the picked model's, the oracle's, or
     *     the expected top-1 of a random hub model
     * @param model the single model the method stands for (MLL: the one most classes chose; random: empty)
     * @param selectedModelAccuracy that model's top-1
     * @param bestChosenAccuracy top-1 of the best model among all the method chose (MLL: over every class's k)
     * @param regret oracle top-1 minus accuracy
     * @param kendallTau τ-b between the method's model scores and the true top-1 (random: its expectation, 0)
     * @param top5Recall share of the true top 5 among the method's top 5 (random: its expectation)
     * @param seconds selection wall time (NaN where there is none)
     */
    public record Row(String target, String method, int k, double accuracy, String model,
            double selectedModelAccuracy, double bestChosenAccuracy, double regret, double kendallTau,
            double top5Recall, double seconds) {
    }

    private SelectionBenchmark() {
    }

    /**
     * @param target the target
     * @param method the method's name
     * @param models model names
     * @param scores its score per model (higher = better)
     * @param truth true top-1 per model
     * @param seconds its selection time
     * @return its row: the top-scored model's accuracy
     */
    public static Row ranking(String target, String method, List<String> models, double[] scores, double[] truth,
            double seconds) {
        int top = RankingMetrics.topK(scores, 1)[0];
        double acc = truth[top];
        return new Row(target, method, 1, acc, models.get(top), acc, acc, max(truth) - acc, tau(scores, truth),
                RankingMetrics.topKRecall(scores, truth, 5), seconds);
    }

    /**
     * @param target the target
     * @param k models per class
     * @param models model names, in the selection's order
     * @param selection MLL's selection
     * @param truth true top-1 per model (the selection's model order)
     * @param predicted the reuse ensemble's class per test image
     * @param labels true class per test image
     * @param seconds selection time
     * @return MLL's row
     */
    public static Row mll(String target, int k, List<String> models, MllSelection selection, double[] truth,
            int[] predicted, int[] labels, double seconds) {
        double acc = accuracy(predicted, labels);
        int[] votes = selection.votes();
        int most = 0;
        for (int m = 1; m < votes.length; m++) {
            if (votes[m] > votes[most] || (votes[m] == votes[most]
                    && selection.modelScores()[m] > selection.modelScores()[most])) {
                most = m;
            }
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int[] c : selection.chosen()) {
            for (int m : c) {
                best = Math.max(best, truth[m]);
            }
        }
        return new Row(target, "mll", k, acc, models.get(most), truth[most], best, max(truth) - acc,
                tau(selection.modelScores(), truth), RankingMetrics.topKRecall(selection.modelScores(), truth, 5),
                seconds);
    }

    /**
     * @param target the target
     * @param models model names
     * @param truth true top-1 per model
     * @return the oracle's row (the best model on the test split itself)
     */
    public static Row oracle(String target, List<String> models, double[] truth) {
        int top = RankingMetrics.topK(truth, 1)[0];
        return new Row(target, "oracle", 1, max(truth), models.get(top), max(truth), max(truth), 0, 1, 1,
                Double.NaN);
    }

    /**
     * @param target the target
     * @param truth true top-1 per model
     * @return a random pick's expectations: mean top-1, τ 0, top-5 recall 5/n (all models when n ≤ 5)
     */
    public static Row random(String target, double[] truth) {
        double mean = 0;
        for (double t : truth) {
            mean += t / truth.length;
        }
        double recall = Math.min(1, 5.0 / truth.length);
        return new Row(target, "random", 1, mean, "", mean, mean, max(truth) - mean, 0, recall, Double.NaN);
    }

    /**
     * @param predicted predicted class per image
     * @param labels true class per image
     * @return the share predicted right
     */
    public static double accuracy(int[] predicted, int[] labels) {
        if (predicted.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    private static double tau(double[] scores, double[] truth) {
        double t = RankingMetrics.kendallTau(scores, truth);
        return Double.isNaN(t) ? 0 : t;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
