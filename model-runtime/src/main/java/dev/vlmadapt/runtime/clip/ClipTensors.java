package dev.vlmadapt.runtime.clip;

/**
 * The runtime's own tensor names. Checkpoint layouts map onto these ({@link CheckpointLayout}); the towers read
 * only these. Linear weights are stored as {@code (out, in)} like {@code torch.nn.Linear}.
 */
public final class ClipTensors {
    /** Prefix of the text tower's tensors. */
    public static final String TEXT = "text.";
    /** Prefix of the image tower's tensors. */
    public static final String VISION = "vision.";
    /** {@code ()} log of the logit temperature. */
    public static final String LOGIT_SCALE = "logit_scale";

    /** {@code (V, D)} */
    public static final String TOKEN_EMBEDDING = TEXT + "token_embedding";
    /** {@code (context, D)} */
    public static final String TEXT_POSITION_EMBEDDING = TEXT + "position_embedding";
    /** final LayerNorm of the text tower, {@code .weight}/{@code .bias} of shape {@code (D)} */
    public static final String TEXT_FINAL_LN = TEXT + "final_ln";
    /** {@code (P, D)} */
    public static final String TEXT_PROJECTION = TEXT + "projection";

    /** {@code (D)} */
    public static final String CLASS_EMBEDDING = VISION + "class_embedding";
    /** {@code (D, 3, p, p)} */
    public static final String PATCH_EMBEDDING = VISION + "patch_embedding";
    /** {@code (patches + 1, D)} */
    public static final String VISION_POSITION_EMBEDDING = VISION + "position_embedding";
    /** LayerNorm before the image transformer */
    public static final String VISION_PRE_LN = VISION + "pre_ln";
    /** LayerNorm on the class token after the image transformer */
    public static final String VISION_POST_LN = VISION + "post_ln";
    /** {@code (P, D)} */
    public static final String VISION_PROJECTION = VISION + "projection";

    /** Suffixes of one residual attention block's tensors, below {@code <tower>layers.<i>.}. */
    public static final String LN1 = "ln1";
    /** See {@link #LN1}. */
    public static final String LN2 = "ln2";
    /** {@code (3D, D)} fused q/k/v weight, {@code (3D)} bias. */
    public static final String IN_PROJ = "attn.in_proj";
    /** {@code (D, D)} weight, {@code (D)} bias. */
    public static final String OUT_PROJ = "attn.out_proj";
    /** {@code (M, D)} weight, {@code (M)} bias. */
    public static final String FC1 = "mlp.fc1";
    /** {@code (D, M)} weight, {@code (D)} bias. */
    public static final String FC2 = "mlp.fc2";

    private ClipTensors() {
    }

    /**
     * @param tower {@link #TEXT} or {@link #VISION}
     * @param layer block index
     * @param part one of the block suffixes
     * @return e.g. {@code text.layers.3.attn.in_proj}
     */
    public static String block(String tower, int layer, String part) {
        return tower + "layers." + layer + "." + part;
    }
}
