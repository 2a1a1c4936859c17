package dev.vlmadapt.runtime.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingsTest {
    private static Ranking r(String model, String dataset, double top1, String source) {
        return new Ranking(model, dataset, "test", top1, Double.NaN, Double.NaN, -1, null, Double.NaN, Double.NaN,
                Double.NaN, source, null);
    }

    private static Ranking r(String model, String dataset, double top1) {
        return r(model, dataset, top1, Ranking.IMPORTED);
    }

    @Test
    void bestFirstWithTiesByNameAndTheProjectsOwnEvaluationOverAPublishedOne() {
        List<Ranking> rows = List.of(r("b", "x", 0.5), r("a", "x", 0.5), r("c", "x", 0.7), r("c", "y", 0.9),
                r("d", "x", 0.9), r("d", "x", 0.1, Ranking.EVALUATED));
        assertEquals(List.of("c", "a", "b", "d"), Rankings.best(rows, "x").stream().map(Ranking::model).toList());
        assertEquals(0.1, Rankings.best(rows, "x").get(3).top1());
    }

    @Test
    void meanRanksAverageTiesAndSkipModelsWithoutEveryDataset() {
        // x: a 0.9 (1), b 0.5 and c 0.5 (tied: 2.5 each); y: c 0.8 (1), b 0.6 (2), a 0.2 (3). d lacks y.
        List<Ranking> rows = List.of(r("a", "x", 0.9), r("b", "x", 0.5), r("c", "x", 0.5), r("d", "x", 1.0),
                r("a", "y", 0.2), r("b", "y", 0.6), r("c", "y", 0.8));
        List<Rankings.MeanRank> mean = Rankings.meanRanks(rows, List.of("x", "y"));
        assertEquals(List.of("c", "a", "b"), mean.stream().map(Rankings.MeanRank::model).toList());
        assertEquals(1.75, mean.get(0).meanRank());
        assertEquals(2.0, mean.get(1).meanRank());
        assertEquals(2.25, mean.get(2).meanRank());
        assertEquals(List.of(2.5, 1.0), mean.get(0).ranks());
        // Over x alone d takes part, and ranks first.
        assertEquals("d", Rankings.meanRanks(rows, List.of("x")).get(0).model());
    }
}
