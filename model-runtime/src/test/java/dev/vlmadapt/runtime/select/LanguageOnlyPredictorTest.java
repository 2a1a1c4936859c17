package dev.vlmadapt.runtime.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The predictor on a hand-made table and hand-made unit vectors (no sentence model). */
class LanguageOnlyPredictorTest {
    private static final List<String> MODELS = List.of("a", "b", "c", "d");
    // Photos rank a > b > c > d; sketches rank d > c > b > a; digits a > c > b > d.
    private static final AccuracyTable TABLE = new AccuracyTable(MODELS, List.of("photos", "sketches", "digits"),
            new double[][] {{0.9, 0.2, 0.8}, {0.8, 0.3, 0.5}, {0.7, 0.4, 0.6}, {0.6, 0.5, 0.4}});

    private static DatasetEmbedding axis(int i) {
        float[] v = new float[3];
        v[i] = 1;
        return new DatasetEmbedding(v, v);
    }

    private static final Map<String, DatasetEmbedding> EMBEDDINGS = Map.of("photos", axis(0), "sketches", axis(1),
            "digits", axis(2));

    @Test
    void aTargetWordedLikeOneDatasetIsPredictedAsThatDataset() {
        // Sharp temperature, no prior: all weight on "sketches"; the z-score maps back to its accuracies exactly.
        LanguageOnlyPredictor p = new LanguageOnlyPredictor(new LanguageOnlyPredictor.Params(1e-3, 1, 0.5));
        LanguageOnlyPredictor.Prediction out = p.predict(TABLE, EMBEDDINGS, axis(1));
        assertArrayEquals(new double[] {0.2, 0.3, 0.4, 0.5}, out.accuracy(), 1e-9);
        assertArrayEquals(new double[] {0, 1, 0}, out.weights(), 1e-9);
        assertArrayEquals(new int[] {3, 2, 1, 0}, RankingMetrics.topK(out.standing(), 4));
    }

    @Test
    void withoutTransferTheTargetDoesNotMatterOnlyTheModelsMeanStanding() {
        LanguageOnlyPredictor p = new LanguageOnlyPredictor(new LanguageOnlyPredictor.Params(1e-3, 0, 0.5));
        double[] s1 = p.predict(TABLE, EMBEDDINGS, axis(0)).standing();
        double[] s2 = p.predict(TABLE, EMBEDDINGS, axis(1)).standing();
        assertArrayEquals(s1, s2, 1e-12);
        // Mean z over the three columns, by hand: each column has spread sqrt(0.0125) except digits.
        double sd = Math.sqrt(0.0125);
        double digitsMean = 0.575;
        double digitsSd = Math.sqrt(((0.8 - digitsMean) * (0.8 - digitsMean) + (0.5 - digitsMean) * (0.5 - digitsMean)
                + (0.6 - digitsMean) * (0.6 - digitsMean) + (0.4 - digitsMean) * (0.4 - digitsMean)) / 4);
        double a = ((0.9 - 0.75) / sd + (0.2 - 0.35) / sd + (0.8 - digitsMean) / digitsSd) / 3;
        assertEquals(a, s1[0], 1e-12);
    }

    @Test
    void softWeightsFollowTheSimilaritiesAndSumToOne() {
        float[] between = {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5), 0};
        LanguageOnlyPredictor p = new LanguageOnlyPredictor(new LanguageOnlyPredictor.Params(0.1, 0.7, 0.5));
        double[] w = p.predict(TABLE, EMBEDDINGS, new DatasetEmbedding(between, between)).weights();
        assertEquals(1.0, w[0] + w[1] + w[2], 1e-12);
        assertEquals(w[0], w[1], 1e-12);
        assertEquals(Math.exp(-Math.sqrt(0.5) / 0.1), w[2] / w[0], 1e-9);
    }

    @Test
    void aMissingCellIsSkippedNotTakenAsZero() {
        AccuracyTable holes = new AccuracyTable(MODELS, List.of("photos", "sketches", "digits"),
                new double[][] {{0.9, Double.NaN, 0.8}, {0.8, 0.3, 0.5}, {0.7, 0.4, 0.6}, {0.6, 0.5, 0.4}});
        LanguageOnlyPredictor p = new LanguageOnlyPredictor(new LanguageOnlyPredictor.Params(1e-3, 1, 0.5));
        LanguageOnlyPredictor.Prediction out = p.predict(holes, EMBEDDINGS, axis(1));
        // Model a has no sketches result: with all weight there it falls back to its own other datasets' mean z.
        assertTrue(Double.isFinite(out.accuracy()[0]) && Double.isFinite(out.standing()[0]));
        assertTrue(out.standing()[0] > 0, "a is strong on photos and digits");
    }

    @Test
    void settingsOutOfRangeAreRejectedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LanguageOnlyPredictor.Params(0.05, 1.5, 0.5));
        assertTrue(e.getMessage().contains("transfer-weight"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LanguageOnlyPredictor.Params(0, 0.5, 0.5));
        IllegalArgumentException noText = assertThrows(IllegalArgumentException.class,
                () -> new LanguageOnlyPredictor(LanguageOnlyPredictor.Params.DEFAULT).predict(TABLE,
                        Map.of("photos", axis(0)), axis(0)));
        assertTrue(noText.getMessage().contains("sketches"), noText.getMessage());
    }
}
