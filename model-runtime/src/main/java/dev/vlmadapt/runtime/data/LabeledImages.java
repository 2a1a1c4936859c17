package dev.vlmadapt.runtime.data;

import dev.vlmadapt.runtime.image.RasterImage;
import java.util.List;

/**
 * Images with class labels, as read from one split of a dataset.
 *
 * @param images the images
 * @param labels class index per image, in {@code [0, classCount)}
 */
public record LabeledImages(List<RasterImage> images, int[] labels) {

    /** Checks that there is one label per image. */
    public LabeledImages {
        if (images.size() != labels.length) {
            throw new IllegalArgumentException(images.size() + " images but " + labels.length + " labels");
        }
        images = List.copyOf(images);
        labels = labels.clone();
    }

    /** @return number of images */
    public int size() {
        return labels.length;
    }

    /**
     * @param from first index (inclusive)
     * @param to last index (exclusive)
     * @return the images and labels in {@code [from, to)}
     */
    public LabeledImages slice(int from, int to) {
        return new LabeledImages(images.subList(from, to), java.util.Arrays.copyOfRange(labels, from, to));
    }
}
