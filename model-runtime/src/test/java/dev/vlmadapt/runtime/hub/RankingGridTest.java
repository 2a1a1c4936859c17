package dev.vlmadapt.runtime.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingGridTest {
    private static Ranking r(String model, String dataset, double top1) {
        return new Ranking(model, dataset, "test", top1, 1, top1, 10, "h", Double.NaN, Double.NaN, 1,
                Ranking.EVALUATED, "2026-12-01T00:00:00Z");
    }

    @Test
    void marksEachDatasetsWinnersAndTheLargestClass() {
        List<Ranking> rows = List.of(r("a", "x", 0.5), r("b", "x", 0.25), r("a", "y", 0.1), r("b", "y", 0.1),
                r("b", "z", 0.3));
        RankingGrid grid = new RankingGrid(rows, List.of("a", "b"), List.of("x", "y", "z"));
        assertEquals(List.of("a"), grid.winners("x"));
        assertEquals(List.of("a", "b"), grid.winners("y"), "a tie: both win");
        assertEquals(List.of("b"), grid.winners("z"));
        assertEquals("""
                | model | x | y | z |
                |---|---:|---:|---:|
                | a | **50.0** | **10.0** | – |
                | b | 25.0 | **10.0** | **30.0** |
                | *largest class* | *40.0* | – | *12.5* |
                """, grid.markdown(Map.of("x", 0.4, "z", 0.125)));
    }
}
