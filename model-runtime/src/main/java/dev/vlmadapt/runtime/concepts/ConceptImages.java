package dev.vlmadapt.runtime.concepts;

import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Renders the artwork of some concepts in some styles as a labelled image set: style by style, concepts in
 * catalog order, each image named {@code <style>/<code>}. A concept a style does not draw is simply absent;
 * one whose artwork fails to render is listed in {@link LabeledImages#skipped()} with the reason.
 */
public final class ConceptImages {
    private ConceptImages() {
    }

    /**
     * @param catalog the concepts
     * @param styles the styles to draw from
     * @param label class index of a concept, or -1 to leave it out
     * @param size side of the square images in pixels
     * @param background RGB background under transparent parts
     * @return the images
     */
    public static LabeledImages render(ConceptCatalog catalog, List<StyleArtwork> styles, ToIntFunction<Concept> label,
            int size, int background) {
        List<RasterImage> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (StyleArtwork style : styles) {
            for (Concept c : catalog.concepts()) {
                int y = label.applyAsInt(c);
                if (y < 0 || !style.has(c)) {
                    continue;
                }
                try {
                    images.add(style.render(c, size, background));
                    labels.add(y);
                    names.add(style.style().name() + "/" + c.code());
                } catch (IOException e) {
                    skipped.add(e.getMessage());
                }
            }
        }
        return new LabeledImages(images, labels.stream().mapToInt(Integer::intValue).toArray(), names, skipped);
    }
}
