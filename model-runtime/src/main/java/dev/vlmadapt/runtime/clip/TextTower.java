package dev.vlmadapt.runtime.clip;

import static dev.vlmadapt.runtime.clip.ClipTensors.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.runtime.text.TokenBatch;
import java.util.Arrays;

/**
 * CLIP's causal text transformer: token + position embeddings, pre-LN blocks with a causal mask, the final
 * LayerNorm at the end-of-text (EOT) token, and the projection.
 *
 * <p>Attention is causal and only the EOT position is read, so tokens after the longest EOT of a batch can
 * never influence the output: every pass is cropped to {@code max(EOT) + 1} positions. This is exact, and for
 * class prompts of 10–20 tokens several times cheaper than the padded 77.
 */
public final class TextTower {
    private final ClipConfig config;
    private final NDArray tokenEmbedding;    // (V, D)
    private final NDArray positionEmbedding; // (context, D)
    private final NDArray finalLnWeight;
    private final NDArray finalLnBias;
    private final NDArray projection;        // (P, D)
    private final TransformerEncoder encoder;

    /**
     * @param config the model architecture
     * @param weights the model's tensors
     */
    public TextTower(ClipConfig config, ClipWeights weights) {
        this.config = config;
        this.tokenEmbedding = weights.get(TOKEN_EMBEDDING);
        this.positionEmbedding = weights.get(TEXT_POSITION_EMBEDDING);
        this.finalLnWeight = weights.get(TEXT_FINAL_LN + ".weight");
        this.finalLnBias = weights.get(TEXT_FINAL_LN + ".bias");
        this.projection = weights.get(TEXT_PROJECTION);
        this.encoder = new TransformerEncoder(config.text(), weights, TEXT);
    }

    /** @return the token embedding width D (the size of one injected context vector) */
    public int width() {
        return config.text().width();
    }

    /**
     * Embeds token ids.
     *
     * @param tokens a batch of B sequences
     * @param length number of leading positions to embed
     * @param manager where the result is created
     * @return {@code (B, length, D)}
     */
    public NDArray embedTokens(TokenBatch tokens, int length, NDManager manager) {
        NDArray ids = manager.create(tokens.idsCropped(length));                      // (B·length)
        NDArray flat;
        if (tokenEmbedding.hasGradient()) {
            // Training: the backward of an index lookup accumulates with parallel atomic adds on the CPU, whose
            // order (and so the rounding) changes from run to run; a one-hot GEMM is deterministic.
            flat = TransformerEncoder.into(
                    ids.oneHot(config.vocabSize()).matMul(tokenEmbedding), manager);       // (B·length, D)
        } else {
            flat = TransformerEncoder.into(tokenEmbedding.get(new NDIndex("{}", ids)), manager); // (B·length, D)
        }
        return flat.reshape(tokens.size(), length, width());
    }

    /**
     * Text features of token sequences, computed on the positions up to the longest EOT.
     *
     * @param tokens a batch of B sequences
     * @param manager where intermediates and the result are created
     * @return {@code (B, P)} unnormalised features
     */
    public NDArray encode(TokenBatch tokens, NDManager manager) {
        return encode(tokens, tokens.maxEot() + 1, manager);
    }

    /**
     * Text features on exactly {@code length} positions; {@code length = contextLength} gives the uncropped
     * pass (used to prove the crop exact).
     *
     * @param tokens a batch of B sequences
     * @param length positions to run, at least {@code max(EOT) + 1}
     * @param manager where intermediates and the result are created
     * @return {@code (B, P)}
     */
    public NDArray encode(TokenBatch tokens, int length, NDManager manager) {
        checkLength(tokens, length);
        return encodeEmbeddings(embedTokens(tokens, length, manager), tokens.eotIndices());
    }

    /**
     * Text features of prompts whose token embeddings in {@code [start, start + n)} are replaced by context
     * vectors, for C candidate contexts at once. The context is shared by all K prompts (CoOp's unified
     * context); the K × C sequences run as one batch.
     *
     * @param prompts K tokenized prompts with n placeholder tokens at {@code [start, start + n)}
     * @param start first context position (1 when the context directly follows SOT)
     * @param contexts {@code (C, n, D)} candidate context vectors
     * @return {@code (C, K, P)} unnormalised features
     */
    public NDArray encodeWithContext(TokenBatch prompts, int start, NDArray contexts) {
        Shape cs = contexts.getShape();
        long c = cs.get(0);
        int n = (int) cs.get(1);
        int k = prompts.size();
        int length = prompts.maxEot() + 1;
        if (cs.dimension() != 3 || cs.get(2) != width()) {
            throw new IllegalArgumentException("contexts must have shape (C, n, " + width() + "), got " + cs);
        }
        if (start < 1 || start + n > prompts.minEot()) {
            throw new IllegalArgumentException("context span [" + start + ", " + (start + n)
                    + ") must lie between SOT and the earliest EOT at " + prompts.minEot());
        }
        NDArray emb = embedTokens(prompts, length, contexts.getManager());          // (K, L, D)
        NDArray prefix = emb.get(":, :{}", start).expandDims(0).broadcast(c, k, start, width());
        NDArray suffix = emb.get(":, {}:", start + n).expandDims(0)
                .broadcast(c, k, length - start - n, width());
        NDArray ctx = contexts.expandDims(1).broadcast(c, k, n, width());          // (C, K, n, D)
        NDArray x = NDArrays.concat(new NDList(prefix, ctx, suffix), 2)             // (C, K, L, D)
                .reshape(c * k, length, width());
        int[] eot = new int[(int) (c * k)];
        for (int i = 0; i < c; i++) {
            System.arraycopy(prompts.eotIndices(), 0, eot, i * k, k);
        }
        return encodeEmbeddings(x, eot).reshape(c, k, config.projectionDim());
    }

    /**
     * Runs the transformer on token embeddings and reads the EOT positions.
     *
     * @param x {@code (B, L, D)} token embeddings (no position embedding yet)
     * @param eot EOT position of each row, all below L
     * @return {@code (B, P)}
     */
    public NDArray encodeEmbeddings(NDArray x, int[] eot) {
        long batch = x.getShape().get(0);
        int length = (int) x.getShape().get(1);
        NDManager m = x.getManager();
        x = x.add(TransformerEncoder.into(positionEmbedding.get(":{}", length), m)); // (B, L, D)
        x = encoder.forward(x, causalMask(m, length));                              // (B, L, D)
        long[] rows = new long[(int) batch];
        for (int b = 0; b < batch; b++) {
            rows[b] = (long) b * length + eot[b];
        }
        // LayerNorm is per position, so normalising only the gathered EOT rows is exact.
        NDArray pooled = x.reshape(batch * length, width()).get(new NDIndex("{}", m.create(rows))); // (B, D)
        pooled = encoder.layerNorm(pooled, finalLnWeight, finalLnBias);
        return TransformerEncoder.linear(pooled, projection, null);                  // (B, P)
    }

    private void checkLength(TokenBatch tokens, int length) {
        if (length <= tokens.maxEot() || length > config.contextLength()) {
            throw new IllegalArgumentException("length " + length + " must be in (" + tokens.maxEot() + ", "
                    + config.contextLength() + "]");
        }
        if (tokens.contextLength() > config.contextLength()) {
            throw new IllegalArgumentException("token batch has context " + tokens.contextLength()
                    + " but the model takes " + config.contextLength());
        }
    }

    /** {@code (L, L)}: 0 on and below the diagonal, -inf above it. */
    static NDArray causalMask(NDManager manager, int length) {
        float[] mask = new float[length * length];
        for (int i = 0; i < length; i++) {
            Arrays.fill(mask, i * length + i + 1, (i + 1) * length, Float.NEGATIVE_INFINITY);
        }
        return manager.create(mask, new Shape(length, length)).toType(DataType.FLOAT32, false);
    }
}
