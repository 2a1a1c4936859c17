package dev.vlmadapt.runtime.clip;

/**
 * Shape of one pre-LN transformer tower.
 *
 * @param width model width D
 * @param layers number of residual attention blocks
 * @param heads attention heads (D must be divisible by it)
 * @param mlpWidth hidden width of the MLP (4·D in all CLIPs we know of)
 * @param activation MLP non-linearity
 * @param layerNormEps epsilon of every LayerNorm in the tower
 */
public record TowerConfig(int width, int layers, int heads, int mlpWidth, Activation activation, float layerNormEps)
        implements java.io.Serializable {

    /** Validates the shape. */
    public TowerConfig {
        if (width <= 0 || layers <= 0 || heads <= 0 || mlpWidth <= 0) {
            throw new IllegalArgumentException("tower sizes must be positive, got width=" + width + " layers="
                    + layers + " heads=" + heads + " mlp=" + mlpWidth);
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not divisible by heads " + heads);
        }
    }

    /** @return the width of one attention head */
    public int headWidth() {
        return width / heads;
    }
}
