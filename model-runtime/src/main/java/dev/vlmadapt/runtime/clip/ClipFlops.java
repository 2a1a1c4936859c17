package dev.vlmadapt.runtime.clip;

/**
 * Forward FLOPs of a CLIP from its configuration (a multiply-add counts 2), the way model cards and open_clip's
 * profile count them: the matrix products of the transformer layers (QKV and output projections, attention
 * scores and their weighted sum, the MLP), the patch embedding and the final projection; norms, softmax and
 * activations are left out (a few percent at these sizes).
 */
public final class ClipFlops {
    private ClipFlops() {
    }

    /**
     * @param width d
     * @param mlpWidth the MLP's hidden width
     * @param tokens n
     * @return FLOPs of one transformer layer over n tokens: 2·(4nd² + 2n²d + 2nd·mlp)
     */
    static double layer(int width, int mlpWidth, int tokens) {
        double d = width;
        double n = tokens;
        return 2 * (4 * n * d * d + 2 * n * n * d + 2 * n * d * mlpWidth);
    }

    /**
     * @param config a CLIP
     * @return FLOPs of encoding one image: patch embedding, the layers over patches + class token, projection
     */
    public static double image(ClipConfig config) {
        TowerConfig v = config.vision();
        int patches = config.numPatches();
        double embed = 2.0 * patches * 3 * config.patchSize() * config.patchSize() * v.width();
        return embed + v.layers() * layer(v.width(), v.mlpWidth(), patches + 1)
                + 2.0 * v.width() * config.projectionDim();
    }

    /**
     * @param config a CLIP
     * @param tokens text length run through the tower (the context length, or a shorter crop)
     * @return FLOPs of encoding one text of that length
     */
    public static double text(ClipConfig config, int tokens) {
        TowerConfig t = config.text();
        return t.layers() * layer(t.width(), t.mlpWidth(), tokens) + 2.0 * t.width() * config.projectionDim();
    }
}
