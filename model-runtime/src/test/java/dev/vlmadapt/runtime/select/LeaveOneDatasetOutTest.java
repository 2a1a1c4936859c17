package dev.vlmadapt.runtime.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeaveOneDatasetOutTest {
    @Test
    void eachDatasetButTheReferenceIsHeldOutOnceAndScoredAgainstItsOwnColumn() {
        // Six models; "twin" ranks them exactly as "imagenet" does, "flipped" in reverse; "sketch-twin" is worded
        // like "flipped" and ranks like it.
        List<String> models = List.of("m1", "m2", "m3", "m4", "m5", "m6");
        List<String> datasets = List.of("imagenet", "twin", "flipped", "sketch-twin");
        double[][] a = new double[6][4];
        for (int m = 0; m < 6; m++) {
            a[m][0] = 0.9 - 0.1 * m;
            a[m][1] = 0.8 - 0.1 * m;
            a[m][2] = 0.3 + 0.1 * m;
            a[m][3] = 0.2 + 0.1 * m;
        }
        Map<String, DatasetEmbedding> e = new HashMap<>();
        e.put("imagenet", unit(1, 0, 0));
        e.put("twin", unit(1, 0.1f, 0));
        e.put("flipped", unit(0, 1, 0));
        e.put("sketch-twin", unit(0, 1, 0.1f));
        List<LeaveOneDatasetOut.Row> rows = LeaveOneDatasetOut.run(new AccuracyTable(models, datasets, a), e,
                new LanguageOnlyPredictor.Params(0.01, 1, 0.5), "imagenet");
        List<String> targets = new ArrayList<>();
        for (LeaveOneDatasetOut.Row r : rows) {
            if (r.method().equals(LeaveOneDatasetOut.LANGUAGE_ONLY)) {
                targets.add(r.target());
            }
        }
        assertEquals(List.of("twin", "flipped", "sketch-twin", "mean"), targets);
        LeaveOneDatasetOut.Row ref = find(rows, "flipped", LeaveOneDatasetOut.REFERENCE);
        assertEquals(-1.0, ref.kendallTau(), 1e-12);
        assertEquals(0.5, ref.topOneRegret(), 1e-12, "INB picks m1 (0.3); the best is m6 (0.8)");
        LeaveOneDatasetOut.Row lang = find(rows, "flipped", LeaveOneDatasetOut.LANGUAGE_ONLY);
        assertEquals(1.0, lang.kendallTau(), 1e-12, "the text points at sketch-twin, which ranks like flipped");
        assertEquals(0.0, lang.topOneRegret(), 1e-12);
        assertEquals("m6", lang.chosen());
        assertEquals(0.1, lang.meanAbsoluteError(), 1e-9, "sketch-twin's accuracies are 0.1 lower throughout");
        LeaveOneDatasetOut.Row mean = find(rows, "mean", LeaveOneDatasetOut.REFERENCE);
        double tauMean = (find(rows, "twin", LeaveOneDatasetOut.REFERENCE).kendallTau() + ref.kendallTau()
                + find(rows, "sketch-twin", LeaveOneDatasetOut.REFERENCE).kendallTau()) / 3;
        assertEquals(tauMean, mean.kendallTau(), 1e-12);
    }

    @Test
    void modelsWithoutAResultOnTheTargetAreLeftOutOfItsScore() {
        Random r = new Random(5);
        List<String> models = List.of("a", "b", "c", "d", "e", "f", "g");
        double[][] a = new double[7][3];
        for (double[] row : a) {
            for (int d = 0; d < 3; d++) {
                row[d] = r.nextDouble();
            }
        }
        a[2][1] = Double.NaN;
        Map<String, DatasetEmbedding> e = Map.of("ref", unit(1, 0, 0), "x", unit(0, 1, 0), "y", unit(0, 0, 1));
        List<LeaveOneDatasetOut.Row> rows = LeaveOneDatasetOut.run(new AccuracyTable(models, List.of("ref", "x",
                "y"), a), e, LanguageOnlyPredictor.Params.DEFAULT, "ref");
        assertEquals(6, find(rows, "x", LeaveOneDatasetOut.LANGUAGE_ONLY).models());
        assertEquals(7, find(rows, "y", LeaveOneDatasetOut.LANGUAGE_ONLY).models());
        assertFalse(rows.stream().anyMatch(x -> x.target().equals("ref")));
        assertTrue(rows.stream().allMatch(x -> Double.isFinite(x.kendallTau())));
    }

    private static LeaveOneDatasetOut.Row find(List<LeaveOneDatasetOut.Row> rows, String target, String method) {
        return rows.stream().filter(r -> r.target().equals(target) && r.method().equals(method)).findFirst()
                .orElseThrow();
    }

    private static DatasetEmbedding unit(float x, float y, float z) {
        float n = (float) Math.sqrt(x * x + y * y + z * z);
        float[] v = {x / n, y / n, z / n};
        return new DatasetEmbedding(v, v);
    }
}
