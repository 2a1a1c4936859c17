package dev.vlmadapt.runtime.select;

/**
 * One model's performance on the selected nodes, from its label (MLL): every sample image that belongs to a
 * selected node is classified among the selected nodes by the model's similarities to their texts; a node's
 * score is 2·TP / (2·TP + FP + P) (TP: its images predicted as it, FP: others predicted as it, P: its images),
 * the F1 of predicting the node. Counts accumulate image by image, so partitions of a label can be counted apart
 * and merged.
 */
public final class NodeScores implements java.io.Serializable {
    private final int[] selected;
    private final long[] truePositives;
    private final long[] falsePositives;
    private final long[] positives;

    /** @param selected graph indices of the selected nodes (ascending) */
    public NodeScores(int[] selected) {
        this.selected = selected.clone();
        this.truePositives = new long[selected.length];
        this.falsePositives = new long[selected.length];
        this.positives = new long[selected.length];
    }

    /**
     * Counts one image.
     *
     * @param sims the model's similarity of the image to every graph node's text, {@code [nodes]}
     * @param memberOf graph indices of the nodes the image belongs to (its class's node and those above it)
     */
    public void add(float[] sims, int[] memberOf) {
        float[] at = new float[selected.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = sims[selected[i]];
        }
        addSelected(at, memberOf);
    }

    /**
     * Counts one image from its similarities to the selected nodes only (what a job reads from a label).
     *
     * @param selectedSims similarity to each selected node, {@code [selected]}
     * @param memberOf graph indices of the nodes the image belongs to
     */
    public void addSelected(float[] selectedSims, int[] memberOf) {
        if (selectedSims.length != selected.length) {
            throw new IllegalArgumentException(selectedSims.length + " similarities for " + selected.length
                    + " selected nodes");
        }
        boolean[] member = new boolean[selected.length];
        boolean any = false;
        for (int v : memberOf) {
            int i = java.util.Arrays.binarySearch(selected, v);
            if (i >= 0) {
                member[i] = true;
                any = true;
            }
        }
        if (!any) {
            return;   // the image is under no selected node: not part of this selection's label
        }
        int best = 0;
        for (int i = 1; i < selected.length; i++) {
            if (selectedSims[i] > selectedSims[best]) {
                best = i;
            }
        }
        for (int i = 0; i < selected.length; i++) {
            positives[i] += member[i] ? 1 : 0;
        }
        if (member[best]) {
            truePositives[best]++;
        } else {
            falsePositives[best]++;
        }
    }

    /**
     * @param other counts of other images, over the same selected nodes
     */
    public void merge(NodeScores other) {
        if (!java.util.Arrays.equals(selected, other.selected)) {
            throw new IllegalArgumentException("node scores over different selections");
        }
        for (int i = 0; i < selected.length; i++) {
            truePositives[i] += other.truePositives[i];
            falsePositives[i] += other.falsePositives[i];
            positives[i] += other.positives[i];
        }
    }

    /** @return per selected node, 2TP / (2TP + FP + P), 0 for a node without images */
    public double[] scores() {
        double[] out = new double[selected.length];
        for (int i = 0; i < out.length; i++) {
            double d = 2.0 * truePositives[i] + falsePositives[i] + positives[i];
            out[i] = d == 0 ? 0 : 2.0 * truePositives[i] / d;
        }
        return out;
    }

    /** @return images counted per selected node */
    public long[] positives() {
        return positives.clone();
    }
}
