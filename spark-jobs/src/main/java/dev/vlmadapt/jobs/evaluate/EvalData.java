package dev.vlmadapt.jobs.evaluate;

import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One dataset split as the executors need it (broadcast once per job): the images as stored in the image table
 * (PNG bytes), labels, class names, templates and their hash.
 *
 * @param dataset the dataset
 * @param split the split
 * @param ids the images' ids in the image table, in order
 * @param pngs the images
 * @param labels class per image
 * @param classes class names
 * @param templates prompt templates
 * @param promptsHash hash of classes and templates
 */
public record EvalData(String dataset, String split, List<String> ids, List<byte[]> pngs, int[] labels, List<String> classes,
        List<String> templates, String promptsHash) implements Serializable {

    /** @return the decoded images with their labels */
    public LabeledImages decode() throws IOException {
        List<RasterImage> images = new ArrayList<>(pngs.size());
        for (int i = 0; i < pngs.size(); i++) {
            images.add(ImageCodec.decode(pngs.get(i), dataset + "/" + split + " image " + i));
        }
        return new LabeledImages(images, labels);
    }

    /** @return what always answering the most frequent class scores on this split */
    double largestClassShare() {
        int[] counts = new int[classes.size()];
        int largest = 0;
        for (int l : labels) {
            largest = Math.max(largest, ++counts[l]);
        }
        return labels.length == 0 ? 0 : largest / (double) labels.length;
    }
}
