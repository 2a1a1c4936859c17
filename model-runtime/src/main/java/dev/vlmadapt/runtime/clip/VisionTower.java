package dev.vlmadapt.runtime.clip;

import static dev.vlmadapt.runtime.clip.ClipTensors.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * CLIP's ViT image tower: non-overlapping patch embedding, class token, position embeddings, pre-LayerNorm,
 * pre-LN blocks, post-LayerNorm on the class token, and the projection.
 */
public final class VisionTower {
    private final ClipConfig config;
    private final NDArray patchKernel;       // (D, 3, p, p)
    private final NDArray classEmbedding;    // (D)
    private final NDArray positionEmbedding; // (N+1, D)
    private final NDArray preLnWeight;
    private final NDArray preLnBias;
    private final NDArray postLnWeight;
    private final NDArray postLnBias;
    private final NDArray projection;        // (P, D)
    private final TransformerEncoder encoder;

    /**
     * @param config the model architecture
     * @param weights the model's tensors
     */
    public VisionTower(ClipConfig config, ClipWeights weights) {
        this.config = config;
        this.patchKernel = weights.get(PATCH_EMBEDDING);
        this.classEmbedding = weights.get(CLASS_EMBEDDING);
        this.positionEmbedding = weights.get(VISION_POSITION_EMBEDDING);
        this.preLnWeight = weights.get(VISION_PRE_LN + ".weight");
        this.preLnBias = weights.get(VISION_PRE_LN + ".bias");
        this.postLnWeight = weights.get(VISION_POST_LN + ".weight");
        this.postLnBias = weights.get(VISION_POST_LN + ".bias");
        this.projection = weights.get(VISION_PROJECTION);
        this.encoder = new TransformerEncoder(config.vision(), weights, VISION);
    }

    /**
     * Image features.
     *
     * @param images {@code (B, 3, S, S)} preprocessed pixels
     * @return {@code (B, P)} unnormalised features, in the manager of {@code images}
     */
    public NDArray encode(NDArray images) {
        Shape s = images.getShape();
        int size = config.imageSize();
        int p = config.patchSize();
        int grid = size / p;
        int d = config.vision().width();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != size || s.get(3) != size) {
            throw new IllegalArgumentException("images must have shape (B, 3, " + size + ", " + size + "), got " + s);
        }
        long b = s.get(0);
        // A stride-p convolution with a p×p kernel is a GEMM over non-overlapping patches.
        NDArray patches = images.reshape(b, 3, grid, p, grid, p)
                .transpose(0, 2, 4, 1, 3, 5)                                         // (B, g, g, 3, p, p)
                .reshape(b, (long) grid * grid, 3L * p * p);                          // (B, N, 3·p·p)
        // Flattened per call (a view, no copy) so that autograd sees the kernel itself during training.
        NDArray kernel = TransformerEncoder.into(patchKernel.reshape(d, 3L * p * p), images.getManager());
        NDArray x = TransformerEncoder.linear(patches, kernel, null);                // (B, N, D)
        NDArray cls = TransformerEncoder.into(classEmbedding.reshape(1, 1, d), images.getManager())
                .broadcast(b, 1, d);                                                  // (B, 1, D)
        x = NDArrays.concat(new NDList(cls, x), 1).add(positionEmbedding);            // (B, N+1, D)
        x = encoder.layerNorm(x, preLnWeight, preLnBias);
        x = encoder.forward(x, null);
        NDArray pooled = encoder.layerNorm(x.get(":, 0, :"), postLnWeight, postLnBias); // (B, D)
        return TransformerEncoder.linear(pooled, projection, null);                  // (B, P)
    }
}
