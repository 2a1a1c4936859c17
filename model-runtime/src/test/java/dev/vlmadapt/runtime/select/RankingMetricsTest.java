package dev.vlmadapt.runtime.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    /** τ-b by counting pairs, written from its definition (independent of commons-math). */
    private static double tauB(double[] x, double[] y) {
        long concordant = 0;
        long discordant = 0;
        long tiesX = 0;
        long tiesY = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                double a = Math.signum(x[i] - x[j]);
                double b = Math.signum(y[i] - y[j]);
                if (a == 0 && b == 0) {
                    continue;
                } else if (a == 0) {
                    tiesX++;
                } else if (b == 0) {
                    tiesY++;
                } else if (a == b) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        return (concordant - discordant)
                / Math.sqrt((double) (concordant + discordant + tiesX) * (concordant + discordant + tiesY));
    }

    @Test
    void kendallTauMatchesPairCountingWithAndWithoutTies() {
        Random r = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            double[] x = new double[15];
            double[] y = new double[15];
            for (int i = 0; i < x.length; i++) {
                x[i] = trial % 2 == 0 ? r.nextDouble() : r.nextInt(4);   // odd trials: many ties
                y[i] = x[i] + (trial % 2 == 0 ? r.nextGaussian() * 0.3 : r.nextInt(3));
            }
            assertEquals(tauB(x, y), RankingMetrics.kendallTau(x, y), 1e-12, "trial " + trial);
        }
        assertEquals(1.0, RankingMetrics.kendallTau(new double[] {1, 2, 3}, new double[] {0.1, 0.5, 0.9}), 1e-12);
        assertEquals(-1.0, RankingMetrics.kendallTau(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
    }

    @Test
    void topKRecallRegretAndErrorOnAWorkedExample() {
        double[] truth = {0.90, 0.80, 0.70, 0.60, 0.50, 0.40, 0.30};
        double[] predicted = {0.2, 0.9, 0.8, 0.1, 0.7, 0.6, 0.5};   // best predicted: model 1; true best: model 0
        assertArrayEquals(new int[] {1, 2, 4}, RankingMetrics.topK(predicted, 3));
        // True top 5 = {0,1,2,3,4}; predicted top 5 = {1,2,4,5,6}: 3 shared.
        assertEquals(0.6, RankingMetrics.topKRecall(predicted, truth, 5), 1e-12);
        assertEquals(0.10, RankingMetrics.topOneRegret(predicted, truth), 1e-12);
        assertEquals(0.0, RankingMetrics.topOneRegret(truth, truth), 0);
        double mae = (0.7 + 0.1 + 0.1 + 0.5 + 0.2 + 0.2 + 0.2) / 7;
        assertEquals(mae, RankingMetrics.meanAbsoluteError(predicted, truth), 1e-12);
        // Ties in a top-k list go to the lower index.
        assertArrayEquals(new int[] {0, 2}, RankingMetrics.topK(new double[] {1, 0, 1, 1}, 2));
    }

    @Test
    void lovmTauRanksOnlyTheModelsInBothTopLists() {
        double[] truth = {0.90, 0.80, 0.70, 0.60, 0.50, 0.40, 0.30};
        // Predicted top 5 = {4, 2, 1, 5, 6}; shared with the true top 5 {0..4}: 4, 2, 1, predicted in the reverse
        // of their true order: τ = -1, although τ over all seven models is not.
        double[] predicted = {0.2, 0.7, 0.8, 0.1, 0.9, 0.6, 0.5};
        assertEquals(-1.0, RankingMetrics.lovmTau(predicted, truth, 5), 1e-12);
        assertEquals(tauB(predicted, truth), RankingMetrics.kendallTau(predicted, truth), 1e-12);
        // Shared 1, 2, 4 in the true order: τ = 1.
        double[] agreeing = {0.2, 0.9, 0.8, 0.1, 0.7, 0.6, 0.5};
        assertEquals(1.0, RankingMetrics.lovmTau(agreeing, truth, 5), 1e-12);
        // Top 3: predicted {5, 0, 1}, true {0, 1, 2}: two shared, which LOVM scores 0.
        double[] twoShared = {0.9, 0.8, 0.0, 0.0, 0.5, 0.95, 0.1};
        assertEquals(0.0, RankingMetrics.lovmTau(twoShared, truth, 3), 0);
    }

    @Test
    void badInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.kendallTau(new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class,
                () -> RankingMetrics.topOneRegret(new double[] {Double.NaN}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.topK(new double[3], 0));
    }
}
