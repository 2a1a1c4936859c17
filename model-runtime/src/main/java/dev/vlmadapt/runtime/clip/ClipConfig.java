package dev.vlmadapt.runtime.clip;

import java.util.Arrays;
import java.util.Objects;

/**
 * Architecture of a CLIP model: a causal text transformer, a ViT image tower, and their projections into a
 * shared embedding space. Immutable; build with {@link #builder()} and copy with {@link #toBuilder()}.
 */
public final class ClipConfig implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Normalisation constants CLIP was trained with (OpenAI); the default when a checkpoint names none. */
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** See {@link #CLIP_MEAN}. */
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final TowerConfig text;
    private final TowerConfig vision;
    private final int vocabSize;
    private final int contextLength;
    private final int imageSize;
    private final int patchSize;
    private final int projectionDim;
    private final float[] imageMean;
    private final float[] imageStd;

    private ClipConfig(Builder b) {
        this.text = Objects.requireNonNull(b.text, "text tower");
        this.vision = Objects.requireNonNull(b.vision, "vision tower");
        this.vocabSize = positive(b.vocabSize, "vocab_size");
        this.contextLength = positive(b.contextLength, "context_length");
        this.imageSize = positive(b.imageSize, "image_size");
        this.patchSize = positive(b.patchSize, "patch_size");
        this.projectionDim = positive(b.projectionDim, "projection_dim");
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
        }
        this.imageMean = checkRgb(b.imageMean, "image mean");
        this.imageStd = checkRgb(b.imageStd, "image std");
    }

    private static int positive(int v, String key) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
        return v;
    }

    private static float[] checkRgb(float[] v, String what) {
        if (v == null || v.length != 3) {
            throw new IllegalArgumentException(what + " must have 3 values, got " + Arrays.toString(v));
        }
        return v.clone();
    }

    /** @return a builder with CLIP's normalisation constants preset */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this config's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.text = text;
        b.vision = vision;
        b.vocabSize = vocabSize;
        b.contextLength = contextLength;
        b.imageSize = imageSize;
        b.patchSize = patchSize;
        b.projectionDim = projectionDim;
        b.imageMean = imageMean.clone();
        b.imageStd = imageStd.clone();
        return b;
    }

    /** @return the text tower's shape */
    public TowerConfig text() {
        return text;
    }

    /** @return the image tower's shape */
    public TowerConfig vision() {
        return vision;
    }

    /** @return number of token embeddings */
    public int vocabSize() {
        return vocabSize;
    }

    /** @return maximum number of tokens, SOT and EOT included (77 for all public CLIPs) */
    public int contextLength() {
        return contextLength;
    }

    /** @return side of the square input image in pixels */
    public int imageSize() {
        return imageSize;
    }

    /** @return side of one square patch in pixels */
    public int patchSize() {
        return patchSize;
    }

    /** @return number of patches per image (grid²) */
    public int numPatches() {
        int grid = imageSize / patchSize;
        return grid * grid;
    }

    /** @return dimension of the shared embedding space */
    public int projectionDim() {
        return projectionDim;
    }

    /** @return per-channel RGB mean used by preprocessing */
    public float[] imageMean() {
        return imageMean.clone();
    }

    /** @return per-channel RGB standard deviation used by preprocessing */
    public float[] imageStd() {
        return imageStd.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipConfig c && text.equals(c.text) && vision.equals(c.vision)
                && vocabSize == c.vocabSize && contextLength == c.contextLength && imageSize == c.imageSize
                && patchSize == c.patchSize && projectionDim == c.projectionDim
                && Arrays.equals(imageMean, c.imageMean) && Arrays.equals(imageStd, c.imageStd);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, vision, vocabSize, contextLength, imageSize, patchSize, projectionDim);
    }

    @Override
    public String toString() {
        return "ClipConfig{text=" + text + ", vision=" + vision + ", vocab=" + vocabSize + ", context="
                + contextLength + ", image=" + imageSize + "/" + patchSize + ", proj=" + projectionDim + '}';
    }

    /** Builder of {@link ClipConfig}: required settings are {@code set*}, optional ones {@code opt*}. */
    public static final class Builder {
        private TowerConfig text;
        private TowerConfig vision;
        private int vocabSize;
        private int contextLength = 77;
        private int imageSize;
        private int patchSize;
        private int projectionDim;
        private float[] imageMean = CLIP_MEAN.clone();
        private float[] imageStd = CLIP_STD.clone();

        private Builder() {
        }

        /**
         * @param text text tower shape
         * @param vocabSize token vocabulary size
         * @return this builder
         */
        public Builder setText(TowerConfig text, int vocabSize) {
            this.text = text;
            this.vocabSize = vocabSize;
            return this;
        }

        /**
         * @param vision image tower shape
         * @param imageSize input side in pixels
         * @param patchSize patch side in pixels
         * @return this builder
         */
        public Builder setVision(TowerConfig vision, int imageSize, int patchSize) {
            this.vision = vision;
            this.imageSize = imageSize;
            this.patchSize = patchSize;
            return this;
        }

        /**
         * @param projectionDim shared embedding dimension
         * @return this builder
         */
        public Builder setProjectionDim(int projectionDim) {
            this.projectionDim = projectionDim;
            return this;
        }

        /**
         * @param contextLength token context length (default 77)
         * @return this builder
         */
        public Builder optContextLength(int contextLength) {
            this.contextLength = contextLength;
            return this;
        }

        /**
         * @param mean RGB mean (default CLIP's)
         * @param std RGB standard deviation (default CLIP's)
         * @return this builder
         */
        public Builder optNormalization(float[] mean, float[] std) {
            this.imageMean = mean;
            this.imageStd = std;
            return this;
        }

        /** @return the validated config */
        public ClipConfig build() {
            return new ClipConfig(this);
        }
    }
}
