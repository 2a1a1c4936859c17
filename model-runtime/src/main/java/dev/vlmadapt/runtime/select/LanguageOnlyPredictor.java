package dev.vlmadapt.runtime.select;

import java.util.List;
import java.util.Map;

/**
 * Predicts every model's zero-shot accuracy on a target that no model was evaluated on, from the ranking table
 * and text alone (the language-only selection of LOVM's benchmark, without an LLM).
 *
 * <p>Each known dataset d is weighted by how alike its text is to the target's: w_d = softmax(s_d / T), with
 * s_d = β·cos(descriptions) + (1 − β)·cos(class-name centroids) in MiniLM space. A model's standing on d is its
 * z-score in d's column (accuracy minus the column mean, over the column's spread), so that easy and hard
 * datasets count alike. The predicted standing mixes the similarity-weighted z with the model's mean z over all
 * known datasets (its prior, how good it is in general): ẑ = λ·Σ w_d z_d + (1 − λ)·mean z. The predicted
 * accuracy maps it back with the weighted column mean and spread: â = Σ w_d μ_d + ẑ·Σ w_d σ_d, within [0, 1].
 * Missing cells are skipped (the weights renormalised over the datasets a model has).
 */
public final class LanguageOnlyPredictor {
    /**
     * The predictor's settings.
     *
     * @param temperature softmax temperature T over the similarities (> 0; small = trust the nearest dataset)
     * @param transferWeight λ in [0, 1]: weight of the similarity-weighted standing against the model's prior
     * @param descriptionWeight β in [0, 1]: weight of the description similarity against the class-name one
     */
    public record Params(double temperature, double transferWeight, double descriptionWeight) {
        /** The defaults, fixed before the leave-one-out measurement (README, "Language-only selection"). */
        public static final Params DEFAULT = new Params(0.05, 0.7, 0.5);

        /** Checks the ranges. */
        public Params {
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
            }
            if (!(transferWeight >= 0 && transferWeight <= 1)) {
                throw new IllegalArgumentException("transfer-weight must be in [0, 1], got " + transferWeight);
            }
            if (!(descriptionWeight >= 0 && descriptionWeight <= 1)) {
                throw new IllegalArgumentException("description-weight must be in [0, 1], got "
                        + descriptionWeight);
            }
        }
    }

    /**
     * A prediction for one target.
     *
     * @param models the table's models
     * @param accuracy predicted top-1 per model
     * @param standing predicted z-score per model (what ranks them)
     * @param datasets the known datasets
     * @param weights each known dataset's weight (sums to 1)
     */
    public record Prediction(List<String> models, double[] accuracy, double[] standing, List<String> datasets,
            double[] weights) {
    }

    private final Params params;

    /** @param params the settings */
    public LanguageOnlyPredictor(Params params) {
        this.params = params;
    }

    /**
     * @param known accuracies on the known datasets (every column is used)
     * @param embeddings embedding of each known dataset, by name
     * @param target the target's embedding
     * @return the predicted accuracy of every model of the table
     */
    public Prediction predict(AccuracyTable known, Map<String, DatasetEmbedding> embeddings,
            DatasetEmbedding target) {
        int nd = known.datasets().size();
        int nm = known.models().size();
        if (nd == 0) {
            throw new IllegalArgumentException("the table has no dataset to predict from");
        }
        double[] w = weights(known.datasets(), embeddings, target);
        double[] mean = new double[nd];
        double[] spread = new double[nd];
        for (int d = 0; d < nd; d++) {
            double[] col = known.column(d);
            mean[d] = mean(col);
            spread[d] = Math.max(std(col, mean[d]), 1e-6);
        }
        double[] standing = new double[nm];
        double[] accuracy = new double[nm];
        for (int m = 0; m < nm; m++) {
            double wz = 0;
            double wSum = 0;
            double zSum = 0;
            double wMean = 0;
            double wSpread = 0;
            double meanSum = 0;
            double spreadSum = 0;
            int n = 0;
            for (int d = 0; d < nd; d++) {
                double a = known.top1(m, d);
                if (Double.isNaN(a)) {
                    continue;
                }
                double z = (a - mean[d]) / spread[d];
                wz += w[d] * z;
                wSum += w[d];
                wMean += w[d] * mean[d];
                wSpread += w[d] * spread[d];
                zSum += z;
                meanSum += mean[d];
                spreadSum += spread[d];
                n++;
            }
            if (n == 0) {
                standing[m] = Double.NaN;
                accuracy[m] = Double.NaN;
                continue;
            }
            // All weight on datasets this model lacks (wSum underflows to 0): its datasets count equally.
            boolean weighted = wSum > 0;
            double transfer = weighted ? wz / wSum : zSum / n;
            standing[m] = params.transferWeight() * transfer + (1 - params.transferWeight()) * zSum / n;
            double mu = weighted ? wMean / wSum : meanSum / n;
            double sigma = weighted ? wSpread / wSum : spreadSum / n;
            accuracy[m] = Math.min(1, Math.max(0, mu + standing[m] * sigma));
        }
        return new Prediction(known.models(), accuracy, standing, known.datasets(), w);
    }

    /** Softmax of the similarities over T, computed stably. */
    private double[] weights(List<String> datasets, Map<String, DatasetEmbedding> embeddings,
            DatasetEmbedding target) {
        double[] s = new double[datasets.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int d = 0; d < s.length; d++) {
            DatasetEmbedding e = embeddings.get(datasets.get(d));
            if (e == null) {
                throw new IllegalArgumentException("no text for dataset '" + datasets.get(d)
                        + "': every dataset of the table needs a description and class names");
            }
            s[d] = e.similarity(target, params.descriptionWeight()) / params.temperature();
            max = Math.max(max, s[d]);
        }
        double sum = 0;
        for (int d = 0; d < s.length; d++) {
            s[d] = Math.exp(s[d] - max);
            sum += s[d];
        }
        for (int d = 0; d < s.length; d++) {
            s[d] /= sum;
        }
        return s;
    }

    private static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static double std(double[] v, double mean) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += (x - mean) * (x - mean);
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(s / n);
    }
}
