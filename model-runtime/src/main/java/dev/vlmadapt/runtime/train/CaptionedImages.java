package dev.vlmadapt.runtime.train;

import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.zeroshot.ZeroShotClassifier;
import java.util.List;

/**
 * One dataset's contribution to contrastive pretraining: its images, its class names, and the templates its
 * captions are drawn from.
 *
 * @param name dataset name, for progress output
 * @param images training images with labels indexing {@code classNames}
 * @param classNames class names as they appear in captions
 * @param templates caption templates with a {@code {c}} or {@code {}} placeholder
 */
public record CaptionedImages(String name, LabeledImages images, List<String> classNames, List<String> templates) {

    /** @return every caption this dataset can give, class-major (see {@link ZeroShotClassifier#prompts}) */
    public List<String> captions() {
        return ZeroShotClassifier.prompts(classNames, templates);
    }

    /** Validates labels against the class list. */
    public CaptionedImages {
        classNames = List.copyOf(classNames);
        templates = List.copyOf(templates);
        if (templates.isEmpty()) {
            throw new IllegalArgumentException(name + ": at least one caption template is needed");
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
