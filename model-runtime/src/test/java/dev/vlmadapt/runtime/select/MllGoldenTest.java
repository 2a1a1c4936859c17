package dev.vlmadapt.runtime.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MLL's matching, node scores, per-class selection and entropy-weighted reuse against golden vectors computed
 * with numpy from the paper's and released code's definitions ({@code tools/goldens/mll_golden.py}).
 */
class MllGoldenTest {
    private static JsonNode golden;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = MllGoldenTest.class.getResourceAsStream("/golden/mll.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    private static float[][] floats(JsonNode n) {
        float[][] out = new float[n.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[n.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (float) n.get(i).get(j).asDouble();
            }
        }
        return out;
    }

    private static double[][] doubles(JsonNode n) {
        double[][] out = new double[n.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new double[n.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = n.get(i).get(j).asDouble();
            }
        }
        return out;
    }

    private static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    private static NodeMatch match() {
        return NodeMatch.of(floats(golden.get("classes")), floats(golden.get("nodes")), golden.get("per_class").asInt());
    }

    private static double[][] nodeScores(NodeMatch match) {
        JsonNode sims = golden.get("sims");
        JsonNode members = golden.get("members");
        double[][] out = new double[sims.size()][];
        for (int m = 0; m < sims.size(); m++) {
            NodeScores scores = new NodeScores(match.selected());
            NodeScores second = new NodeScores(match.selected());
            float[][] s = floats(sims.get(m));
            for (int i = 0; i < s.length; i++) {
                // Half the images counted apart and merged: partitions must add up to the whole.
                (i % 2 == 0 ? scores : second).add(s[i], ints(members.get(i)));
            }
            scores.merge(second);
            out[m] = scores.scores();
        }
        return out;
    }

    @Test
    void matchingPicksTheGoldenNodesAndWeights() {
        NodeMatch match = match();
        assertArrayEquals(ints(golden.get("selected")), match.selected());
        double[][] z = doubles(golden.get("weights"));
        for (int v = 0; v < z.length; v++) {
            assertArrayEquals(z[v], match.weights()[v], 1e-6, "row " + v);
        }
    }

    @Test
    void nodeScoresMatchTheGoldenCounts() {
        double[][] expected = doubles(golden.get("node_scores"));
        double[][] got = nodeScores(match());
        for (int m = 0; m < expected.length; m++) {
            assertArrayEquals(expected[m], got[m], 1e-12, "model " + m);
        }
    }

    @Test
    void selectionAndReuseMatchTheGoldenVectors() {
        NodeMatch match = match();
        MllSelection s = MllSelection.of(nodeScores(match), match, golden.get("alpha").asDouble(),
                golden.get("k").asInt());
        double[][] p = doubles(golden.get("class_scores"));
        double[][] r = doubles(golden.get("mixed_scores"));
        for (int m = 0; m < p.length; m++) {
            assertArrayEquals(p[m], s.classScores()[m], 1e-6);
            assertArrayEquals(r[m], s.mixedScores()[m], 1e-6);
        }
        JsonNode chosen = golden.get("chosen");
        for (int y = 0; y < chosen.size(); y++) {
            assertArrayEquals(ints(chosen.get(y)), s.chosen().get(y), "class " + y);
        }
        List<double[][]> probabilities = new ArrayList<>();
        golden.get("probabilities").forEach(n -> probabilities.add(doubles(n)));
        assertArrayEquals(ints(golden.get("ensemble")), EntropyEnsemble.predict(probabilities, s.chosen()));
        for (int m = 0; m < p.length; m++) {
            double mean = 0;
            for (double x : p[m]) {
                mean += x / p[m].length;
            }
            assertEquals(mean, s.modelScores()[m], 1e-6);
        }
    }
}
