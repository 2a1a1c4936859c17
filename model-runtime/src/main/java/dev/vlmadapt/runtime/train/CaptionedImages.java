package dev.vlmadapt.runtime.train;

import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.zeroshot.ZeroShotClassifier;
import java.util.ArrayList;
import java.util.List;

/**
 * One dataset's contribution to contrastive pretraining: its images, its class names, the templates its captions
 * are drawn from, and optionally more captions per class (e.g. a concept's label with its tags).
 *
 * @param name dataset name, for progress output
 * @param images training images with labels indexing {@code classNames}
 * @param classNames class names as they appear in captions
 * @param templates caption templates with a {@code {c}} or {@code {}} placeholder
 * @param extraCaptions per class, captions besides the templates' (empty lists, or an empty list, for none)
 */
public record CaptionedImages(String name, LabeledImages images, List<String> classNames, List<String> templates,
        List<List<String>> extraCaptions) {

    /** Captions from the templates only. */
    public CaptionedImages(String name, LabeledImages images, List<String> classNames, List<String> templates) {
        this(name, images, classNames, templates, List.of());
    }

    /** @return every caption this dataset can give, class by class: the templates', then the class's extra ones */
    public List<String> captions() {
        if (extraCaptions.isEmpty()) {
            return ZeroShotClassifier.prompts(classNames, templates);
        }
        List<String> out = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            out.addAll(ZeroShotClassifier.prompts(List.of(classNames.get(c)), templates));
            out.addAll(extraCaptions.get(c));
        }
        return out;
    }

    /**
     * @param c a class
     * @return how many captions it has
     */
    public int captionCount(int c) {
        return templates.size() + (extraCaptions.isEmpty() ? 0 : extraCaptions.get(c).size());
    }

    /** Validates labels against the class list. */
    public CaptionedImages {
        classNames = List.copyOf(classNames);
        templates = List.copyOf(templates);
        List<List<String>> extras = new ArrayList<>();
        extraCaptions.forEach(e -> extras.add(List.copyOf(e)));
        extraCaptions = List.copyOf(extras);
        if (templates.isEmpty()) {
            throw new IllegalArgumentException(name + ": at least one caption template is needed");
        }
        if (!extraCaptions.isEmpty() && extraCaptions.size() != classNames.size()) {
            throw new IllegalArgumentException(name + ": " + extraCaptions.size() + " lists of extra captions for "
                    + classNames.size() + " classes");
        }
        for (int i = 0; i < images.size(); i++) {
            int l = images.labels()[i];
            if (l < 0 || l >= classNames.size()) {
                throw new IllegalArgumentException(name + ": image " + i + " has label " + l + " outside [0, "
                        + classNames.size() + ")");
            }
        }
    }
}
