package dev.vlmadapt.runtime.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.image.ClipPreprocessor;
import dev.vlmadapt.runtime.image.RandomResizedCrop;
import dev.vlmadapt.runtime.image.RasterImage;
import dev.vlmadapt.runtime.random.Seeds;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Image features for the feature store. View 0 of an image is CLIP's own preprocessing (resize, center crop);
 * views 1, 2, … are CoOp's training augmentation ({@link RandomResizedCrop} with flip), each drawn from a seed
 * derived from (seed, image id, view), so any executor produces the same view. Features are the image tower's
 * projected, unnormalised outputs. Preparation ({@link #view}, {@link #pixels}) needs only the architecture, so
 * callers can do it before taking their turn on a shared model ({@link #encode}).
 */
public final class ImageFeatureEncoder {
    private final ClipConfig config;
    private final ClipPreprocessor preprocess;
    private final RandomResizedCrop augment;

    /** @param config the architecture of the model that will encode */
    public ImageFeatureEncoder(ClipConfig config) {
        this.config = config;
        this.preprocess = ClipPreprocessor.forModel(config);
        this.augment = RandomResizedCrop.standard(config.imageSize());
    }

    /** @return the feature dimension (the model's projection dimension) */
    public int dimension() {
        return config.projectionDim();
    }

    /**
     * @param image a decoded image
     * @param imageId its stable id
     * @param view 0 for the plain view, ≥ 1 for an augmented one
     * @param seed the run seed
     * @return the image as the preprocessor should see it for that view
     */
    public RasterImage view(RasterImage image, String imageId, int view, long seed) {
        if (view < 0) {
            throw new IllegalArgumentException("view must be >= 0, got " + view);
        }
        if (view == 0) {
            return image;
        }
        return augment.apply(image, new SplittableRandom(Seeds.derive(seed, "view", imageId, view)));
    }

    /**
     * @param views images as returned by {@link #view}
     * @return {@code (B, 3, S, S)} normalised pixels in row-major order
     */
    public float[] pixels(List<RasterImage> views) {
        return preprocess.applyBatch(views);
    }

    /**
     * @param model the model (its architecture must be this encoder's)
     * @param pixels {@code (B, 3, S, S)} from {@link #pixels}
     * @param batch B
     * @return B feature vectors of {@link #dimension()} floats
     */
    public float[][] encode(ClipModel model, float[] pixels, int batch) {
        if (!model.config().equals(config)) {
            throw new IllegalArgumentException("model " + model.source() + " has architecture " + model.config()
                    + ", not the expected " + config);
        }
        int s = config.imageSize();
        int d = config.projectionDim();
        try (NDManager m = model.weights().manager().newSubManager()) {
            NDArray features = model.encodeImages(m.create(pixels, new Shape(batch, 3, s, s)), m);   // (B, P)
            float[] flat = features.toFloatArray();
            float[][] rows = new float[batch][d];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(flat, b * d, rows[b], 0, d);
            }
            return rows;
        }
    }
}
