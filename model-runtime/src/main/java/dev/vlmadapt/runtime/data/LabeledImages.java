package dev.vlmadapt.runtime.data;

import dev.vlmadapt.runtime.image.RasterImage;
import java.util.List;

/**
 * Images with class labels, as read from one split of a dataset.
 *
 * @param images the images
 * @param labels class index per image, in {@code [0, classCount)}
 * @param names a stable name per image within the split (e.g. {@code google/1F436}), or empty when images are
 *     known by their position only
 * @param skipped source images that could not be read, each with its source and the reason; a reader lists
 *     them here instead of dropping them silently
 */
public record LabeledImages(List<RasterImage> images, int[] labels, List<String> names, List<String> skipped) {
    /** Checks that there is one label (and name, if any) per image. */
    public LabeledImages {
        if (images.size() != labels.length) {
            throw new IllegalArgumentException(images.size() + " images but " + labels.length + " labels");
        }
        if (!names.isEmpty() && names.size() != labels.length) {
            throw new IllegalArgumentException(images.size() + " images but " + names.size() + " names");
        }
        images = List.copyOf(images);
        labels = labels.clone();
        names = List.copyOf(names);
        skipped = List.copyOf(skipped);
    }

    /**
     * Images known by position, none skipped.
     *
     * @param images the images
     * @param labels class index per image
     */
    public LabeledImages(List<RasterImage> images, int[] labels) {
        this(images, labels, List.of(), List.of());
    }

    /** @return number of images */
    public int size() {
        return labels.length;
    }

    /**
     * @param images other images, one per image here (e.g. transformed)
     * @return them with these labels, names and skipped list
     */
    public LabeledImages withImages(List<RasterImage> images) {
        return new LabeledImages(images, labels, names, skipped);
    }

    /**
     * @param from first index (inclusive)
     * @param to last index (exclusive)
     * @return the images, labels and names in {@code [from, to)} (and the whole skipped list)
     */
    public LabeledImages slice(int from, int to) {
        return new LabeledImages(images.subList(from, to), java.util.Arrays.copyOfRange(labels, from, to),
                names.isEmpty() ? names : names.subList(from, to), skipped);
    }
}
