package dev.vlmadapt.runtime.clip;

import ai.djl.ndarray.NDArray;

/** The MLP non-linearities CLIP checkpoints use. OpenAI's weights need QuickGELU; most OpenCLIP runs use GELU. */
public enum Activation {
    /** {@code x * sigmoid(1.702 x)}, the approximation OpenAI CLIP was trained with. */
    QUICK_GELU("quick_gelu"),
    /** The exact (erf) GELU of {@code torch.nn.GELU()}. */
    GELU("gelu");

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    /** @return the name used for this activation in Hugging Face {@code config.json} ({@code hidden_act}) */
    public String configName() {
        return configName;
    }

    /**
     * Applies the activation.
     *
     * @param x any shape
     * @return same shape as {@code x}
     */
    public NDArray apply(NDArray x) {
        if (this == QUICK_GELU) {
            return x.mul(ai.djl.nn.Activation.sigmoid(Scalars.mul(x, 1.702f)));
        }
        return ai.djl.nn.Activation.gelu(x);
    }

    /**
     * Parses a Hugging Face {@code hidden_act} value.
     *
     * @param name the value, e.g. {@code quick_gelu}
     * @return the activation
     * @throws IllegalArgumentException for activations this runtime does not implement
     */
    public static Activation fromConfigName(String name) {
        for (Activation a : values()) {
            if (a.configName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "hidden_act '" + name + "' is not supported; expected one of quick_gelu, gelu");
    }
}
