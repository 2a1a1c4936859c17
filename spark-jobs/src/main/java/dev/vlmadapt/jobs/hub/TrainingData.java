package dev.vlmadapt.jobs.hub;

import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.image.RasterImage;
import dev.vlmadapt.runtime.train.CaptionedImages;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One dataset's training split as the hub's training tasks get it (broadcast): PNG bytes, labels, class names
 * and caption templates.
 *
 * @param name the dataset
 * @param pngs the images
 * @param labels class per image
 * @param classes class names
 * @param templates caption templates
 * @param extraCaptions per class, captions besides the templates (or an empty list)
 */
record TrainingData(String name, List<byte[]> pngs, int[] labels, List<String> classes, List<String> templates,
        List<List<String>> extraCaptions) implements Serializable {

    /**
     * @param max at most this many images (0 = all)
     * @return the decoded images with their captions
     */
    CaptionedImages decode(int max) throws IOException {
        int n = max > 0 ? Math.min(max, pngs.size()) : pngs.size();
        List<RasterImage> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            images.add(ImageCodec.decode(pngs.get(i), name + " training image " + i));
        }
        return new CaptionedImages(name, new LabeledImages(images, java.util.Arrays.copyOf(labels, n)), classes,
                templates, extraCaptions);
    }
}
