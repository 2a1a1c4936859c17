package dev.vlmadapt.runtime.clip;

import static dev.vlmadapt.runtime.clip.ClipTensors.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * A stack of pre-LN residual attention blocks as in CLIP: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}.
 * Pure NDArray operations, so the same code runs inference and, under a gradient collector, training.
 */
public final class TransformerEncoder {
    private final TowerConfig config;
    private final Block[] blocks;

    /** Handles of one block's tensors, resolved once instead of per call. */
    private record Block(NDArray ln1w, NDArray ln1b, NDArray inW, NDArray inB, NDArray outW, NDArray outB,
            NDArray ln2w, NDArray ln2b, NDArray fc1w, NDArray fc1b, NDArray fc2w, NDArray fc2b) {
    }

    /**
     * @param config the tower shape
     * @param weights the model's tensors
     * @param tower {@link ClipTensors#TEXT} or {@link ClipTensors#VISION}
     */
    public TransformerEncoder(TowerConfig config, ClipWeights weights, String tower) {
        this.config = config;
        this.blocks = new Block[config.layers()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new Block(
                    weights.get(block(tower, i, LN1) + ".weight"), weights.get(block(tower, i, LN1) + ".bias"),
                    weights.get(block(tower, i, IN_PROJ) + ".weight"), weights.get(block(tower, i, IN_PROJ) + ".bias"),
                    weights.get(block(tower, i, OUT_PROJ) + ".weight"),
                    weights.get(block(tower, i, OUT_PROJ) + ".bias"),
                    weights.get(block(tower, i, LN2) + ".weight"), weights.get(block(tower, i, LN2) + ".bias"),
                    weights.get(block(tower, i, FC1) + ".weight"), weights.get(block(tower, i, FC1) + ".bias"),
                    weights.get(block(tower, i, FC2) + ".weight"), weights.get(block(tower, i, FC2) + ".bias"));
        }
    }

    /**
     * Runs all blocks.
     *
     * @param x {@code (B, L, D)} token states
     * @param mask {@code (L, L)} additive attention mask (0 or -inf), or null for full attention
     * @return {@code (B, L, D)}
     */
    public NDArray forward(NDArray x, NDArray mask) {
        for (Block b : blocks) {
            x = x.add(attention(layerNorm(x, b.ln1w, b.ln1b), b, mask));
            NDArray h = linear(layerNorm(x, b.ln2w, b.ln2b), b.fc1w, b.fc1b);      // (B, L, M)
            x = x.add(linear(config.activation().apply(h), b.fc2w, b.fc2b));        // (B, L, D)
        }
        return x;
    }

    private NDArray attention(NDArray y, Block b, NDArray mask) {
        long batch = y.getShape().get(0);
        long len = y.getShape().get(1);
        int heads = config.heads();
        int hw = config.headWidth();
        NDArray qkv = linear(y, b.inW, b.inB)                                       // (B, L, 3D)
                .reshape(batch, len, 3, heads, hw)
                .transpose(2, 0, 3, 1, 4);                                          // (3, B, H, L, hw)
        NDList parts = qkv.split(3, 0);
        NDArray q = Scalars.mul(parts.get(0).squeeze(0), (float) (1.0 / Math.sqrt(hw))); // (B, H, L, hw)
        NDArray k = parts.get(1).squeeze(0);
        NDArray v = parts.get(2).squeeze(0);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));                         // (B, H, L, L)
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray out = scores.softmax(-1).matMul(v)                                  // (B, H, L, hw)
                .transpose(0, 2, 1, 3)
                .reshape(batch, len, (long) heads * hw);                            // (B, L, D)
        return linear(out, b.outW, b.outB);
    }

    /**
     * @param x {@code (..., D)}
     * @param weight {@code (D)}
     * @param bias {@code (D)}
     * @return normalised over the last axis with this tower's epsilon
     */
    public NDArray layerNorm(NDArray x, NDArray weight, NDArray bias) {
        return LayerNorm.layerNorm(x, new Shape(x.getShape().tail()), weight, bias, config.layerNormEps())
                .singletonOrThrow();
    }

    /**
     * Moves an array made by an operation whose first operand was a weight (and so landed in the weights'
     * manager) to the manager of the current computation, so that closing that manager frees it.
     */
    public static NDArray into(NDArray a, ai.djl.ndarray.NDManager manager) {
        a.attach(manager);
        return a;
    }

    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        NDList out = bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias);
        return out.singletonOrThrow();
    }
}
