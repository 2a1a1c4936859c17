package dev.vlmadapt.runtime.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edge cases of MLL's selection that the golden vectors do not reach. */
class MllSelectionTest {
    @Test
    void classesThatAllMatchOneNodeShareItAndEachStillGetsModels() {
        float[][] nodes = {{1, 0}, {0, 1}};
        float[][] classes = {{1, 0}, {1, 0}, {0.99f, 0.141f}};
        NodeMatch match = NodeMatch.of(classes, nodes, 1);
        assertArrayEquals(new int[] {0}, match.selected());
        assertArrayEquals(new double[] {1, 1, 1}, match.weights()[0], 1e-12);
        MllSelection s = MllSelection.of(new double[][] {{0.2}, {0.9}, {0.5}}, match, 0.7, 2);
        for (int[] c : s.chosen()) {
            assertArrayEquals(new int[] {1, 2}, c);
        }
        assertArrayEquals(new int[] {0, 3, 3}, s.votes());
    }

    @Test
    void aClassUnlikeEveryNodeStillGetsItsNearestNodesAndModels() {
        // Cosines all negative: the class's top nodes weigh equally rather than not at all.
        float[][] nodes = {{1, 0}, {0, 1}};
        float[][] classes = {{-0.6f, -0.8f}};
        NodeMatch match = NodeMatch.of(classes, nodes, 2);
        assertArrayEquals(new double[] {0.5}, match.weights()[0], 1e-12);
        MllSelection s = MllSelection.of(new double[][] {{0.1, 0.3}, {0.4, 0.4}}, match, 0.7, 1);
        assertArrayEquals(new int[] {1}, s.chosen().get(0));
    }

    @Test
    void theTaskLevelMeanLeavesTheClassOut() {
        float[][] nodes = {{1, 0}, {0, 1}};
        float[][] classes = {{1, 0}, {0, 1}};
        NodeMatch match = NodeMatch.of(classes, nodes, 1);
        MllSelection s = MllSelection.of(new double[][] {{0.8, 0.2}}, match, 0.7, 1);
        assertEquals(0.7 * 0.8 + 0.3 * 0.2, s.mixedScores()[0][0], 1e-12);
        assertEquals(0.7 * 0.2 + 0.3 * 0.8, s.mixedScores()[0][1], 1e-12);
        assertEquals(0.5, s.modelScores()[0], 1e-12);
    }

    @Test
    void anImageUnderNoSelectedNodeIsNotCounted() {
        NodeScores n = new NodeScores(new int[] {1, 3});
        n.add(new float[] {0, 9, 0, 1}, new int[] {0, 2});
        assertArrayEquals(new long[] {0, 0}, n.positives());
        n.add(new float[] {0, 9, 0, 1}, new int[] {3});      // predicted 1, is 3
        n.add(new float[] {0, 0, 0, 1}, new int[] {3});      // predicted 3, is 3
        assertArrayEquals(new double[] {0, 2.0 / (2 + 0 + 2)}, n.scores(), 1e-12);
    }

    @Test
    void entropyWeightsFavourTheConfidentModel() {
        double[][] sure = {{0.9, 0.1}};
        double[][] unsure = {{0.45, 0.55}};
        // Model 0 (sure) alone votes for class 0, model 1 (unsure) for class 1: the sure vote wins...
        assertArrayEquals(new int[] {0}, EntropyEnsemble.predict(List.of(sure, unsure),
                List.of(new int[] {0}, new int[] {1})));
        // ...though unweighted, 0.9 vs 0.55, it would as well; flip the probabilities to see the weight decide.
        double[][] sureLow = {{0.2, 0.8}};
        double[][] flat = {{0.5, 0.5}};
        // Class 0 asks the flat model (0.5 / ln 2 = 0.72), class 1 the sure one (0.8 / H(0.2,0.8) = 1.6).
        assertArrayEquals(new int[] {1}, EntropyEnsemble.predict(Arrays.asList(sureLow, flat),
                List.of(new int[] {1}, new int[] {0})));
        assertEquals(Math.log(2), EntropyEnsemble.entropy(new double[] {0.5, 0.5}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> EntropyEnsemble.predict(Arrays.asList(sure, null),
                List.of(new int[] {1}, new int[] {1})));
    }
}
