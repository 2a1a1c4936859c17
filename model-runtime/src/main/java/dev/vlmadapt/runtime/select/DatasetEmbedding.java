package dev.vlmadapt.runtime.select;

import dev.vlmadapt.runtime.text.SentenceEmbedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset's text in embedding space: its description sentence, and the mean direction of its class names.
 *
 * @param description unit-length embedding of {@link DatasetText#description()}
 * @param classes unit-length mean of the class names' embeddings
 */
public record DatasetEmbedding(float[] description, float[] classes) {
    /**
     * Embeds datasets, each distinct sentence once (ImageNet's variants share their 1000 class names).
     *
     * @param texts datasets
     * @param embedder the sentence model
     * @return their embeddings, by dataset name, in the given order
     */
    public static Map<String, DatasetEmbedding> of(List<DatasetText> texts, SentenceEmbedder embedder) {
        List<String> distinct = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (DatasetText t : texts) {
            for (String s : sentences(t)) {
                index.computeIfAbsent(s, k -> {
                    distinct.add(k);
                    return distinct.size() - 1;
                });
            }
        }
        float[][] rows = embedder.embed(distinct);
        Map<String, DatasetEmbedding> out = new LinkedHashMap<>();
        for (DatasetText t : texts) {
            float[][] cls = new float[t.classes().size()][];
            for (int c = 0; c < cls.length; c++) {
                cls[c] = rows[index.get(t.classes().get(c))];
            }
            out.put(t.name(), new DatasetEmbedding(rows[index.get(t.description())],
                    SentenceEmbedder.meanDirection(cls)));
        }
        return out;
    }

    /**
     * @param other another dataset
     * @param descriptionWeight weight of the description similarity; the class similarity gets the rest
     * @return the mixed cosine similarity
     */
    public double similarity(DatasetEmbedding other, double descriptionWeight) {
        return descriptionWeight * SentenceEmbedder.dot(description, other.description)
                + (1 - descriptionWeight) * SentenceEmbedder.dot(classes, other.classes);
    }

    private static List<String> sentences(DatasetText t) {
        List<String> out = new ArrayList<>(t.classes());
        out.add(t.description());
        return out;
    }
}
