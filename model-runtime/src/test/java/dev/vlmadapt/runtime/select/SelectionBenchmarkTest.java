package dev.vlmadapt.runtime.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionBenchmarkTest {
    private static final double[] TRUTH = {0.5, 0.8, 0.2, 0.6, 0.4, 0.3};
    private static final List<String> MODELS = List.of("a", "b", "c", "d", "e", "f");

    @Test
    void aRankingIsScoredByTheModelItPutsFirst() {
        SelectionBenchmark.Row r = SelectionBenchmark.ranking("t", "inb", MODELS, new double[] {9, 0, 1, 8, 2, 3}, TRUTH, 0.5);
        assertEquals(0.5, r.accuracy(), 0);
        assertEquals(0.3, r.regret(), 1e-12);
        assertEquals(RankingMetrics.kendallTau(new double[] {9, 0, 1, 8, 2, 3}, TRUTH), r.kendallTau(), 1e-12);
        assertEquals(0.8, r.top5Recall(), 1e-12, "true top 5 {1,3,0,4,5}, predicted {0,3,5,4,2}: 4 shared");
    }

    @Test
    void oracleAndRandomBoundTheOthers() {
        SelectionBenchmark.Row o = SelectionBenchmark.oracle("t", MODELS, TRUTH);
        assertEquals(0.8, o.accuracy(), 0);
        assertEquals(0, o.regret(), 0);
        SelectionBenchmark.Row r = SelectionBenchmark.random("t", TRUTH);
        assertEquals(2.8 / 6, r.accuracy(), 1e-12);
        assertEquals(5.0 / 6, r.top5Recall(), 1e-12);
        assertEquals(0, r.kendallTau(), 0);
    }

    @Test
    void mllIsScoredByItsEnsembleWithTheMostChosenModelBeside() {
        MllSelection s = new MllSelection(new double[6][2], new double[6][2], List.of(new int[] {3, 2},
            new int[] {3, 0}), new double[] {0.1, 0.2, 0.3, 0.9, 0.4, 0.5});
        SelectionBenchmark.Row r = SelectionBenchmark.mll("t", 2, MODELS, s, TRUTH, new int[] {0, 1, 1, 0}, new int[] {0, 1,
            0, 0}, 2.0);
        assertEquals(0.75, r.accuracy(), 1e-12);
        assertEquals(0.6, r.selectedModelAccuracy(), 0, "model 3, chosen by both classes");
        assertEquals("d", r.model());
        assertEquals(0.6, r.bestChosenAccuracy(), 0, "best of d, c, a");
        assertEquals("a", SelectionBenchmark.ranking("t", "inb", MODELS, new double[] {9, 0, 1, 8, 2, 3}, TRUTH, 0)
                .model());
        assertEquals(0.05, r.regret(), 1e-12);
    }
}
