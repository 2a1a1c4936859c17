package dev.vlmadapt.runtime.select;

import dev.vlmadapt.runtime.text.SentenceEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * MLL's class-to-node matching: each target class is matched to its most similar graph nodes by text embedding
 * (cosine of MiniLM vectors), Z[v][y] = the similarity for the class's top nodes and 0 elsewhere, each class's
 * column scaled to sum to 1 so that a class's score is a weighted mean of its nodes' scores. The selected nodes
 * are the union of every class's top nodes; model labels are read on them only.
 *
 * @param selected graph indices of the selected nodes, ascending
 * @param weights {@code [selected][classes]}: Z restricted to the selected nodes, columns summing to 1
 * @param topNodes per class, graph indices of its matched nodes, most similar first
 */
public record NodeMatch(int[] selected, double[][] weights, List<int[]> topNodes) {
    /**
     * @param classes unit embeddings of the target's class texts, {@code [classes][dim]}
     * @param nodes unit embeddings of the node texts, {@code [nodes][dim]}
     * @param perClass how many nodes per class (MLL: 5)
     * @return the match
     */
    public static NodeMatch of(float[][] classes, float[][] nodes, int perClass) {
        if (perClass < 1) {
            throw new IllegalArgumentException("nodes per class must be at least 1, got " + perClass);
        }
        if (nodes.length == 0) {
            throw new IllegalArgumentException("the graph has no nodes");
        }
        List<int[]> top = new ArrayList<>();
        List<double[]> sims = new ArrayList<>();
        TreeSet<Integer> union = new TreeSet<>();
        for (float[] c : classes) {
            double[] s = new double[nodes.length];
            for (int v = 0; v < nodes.length; v++) {
                s[v] = SentenceEmbedder.dot(c, nodes[v]);
            }
            int[] t = RankingMetrics.topK(s, perClass);
            top.add(t);
            sims.add(s);
            for (int v : t) {
                union.add(v);
            }
        }
        int[] selected = union.stream().mapToInt(Integer::intValue).toArray();
        double[][] z = new double[selected.length][classes.length];
        for (int y = 0; y < classes.length; y++) {
            double sum = 0;
            for (int v : top.get(y)) {
                sum += Math.max(sims.get(y)[v], 0);
            }
            for (int v : top.get(y)) {
                int row = java.util.Arrays.binarySearch(selected, v);
                // Similarities are cosines; a class whose best nodes are all dissimilar weighs them equally.
                z[row][y] = sum > 0 ? Math.max(sims.get(y)[v], 0) / sum : 1.0 / top.get(y).length;
            }
        }
        return new NodeMatch(selected, z, top);
    }
}
