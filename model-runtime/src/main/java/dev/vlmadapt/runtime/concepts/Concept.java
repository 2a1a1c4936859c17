package dev.vlmadapt.runtime.concepts;

import java.io.Serializable;
import java.util.List;

/**
 * An everyday concept drawn as an emoji: the unit of the concept datasets (one class per concept).
 *
 * @param code the code point sequence, upper-case hex joined by '-', without variation selectors (FE0F), as
 *     OpenMoji names its files (e.g. {@code 1F436}, {@code 1F3F3-200D-1F308})
 * @param label the English label of emojibase (e.g. {@code dog face}); the class name
 * @param tags emojibase's English tags
 * @param category emoji-datasource's category (e.g. {@code Animals & Nature})
 * @param subcategory emoji-datasource's subcategory (e.g. {@code animal-mammal})
 * @param shortName emoji-datasource's short name (e.g. {@code dog})
 * @param image emoji-datasource's image file name (e.g. {@code 1f436.png})
 */
public record Concept(String code, String label, List<String> tags, String category, String subcategory,
        String shortName, String image) implements Serializable {
    /** Copies the tags. */
    public Concept {
        tags = List.copyOf(tags);
    }
}
