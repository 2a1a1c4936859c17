package dev.vlmadapt.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** MiniLM from langchain4j's jar: offline, unit-length, deterministic, and its similarities make sense. */
class SentenceEmbedderTest {
    @Test
    void relatedSentencesAreCloserThanUnrelatedOnes() {
        SentenceEmbedder e = SentenceEmbedder.miniLm();
        float[][] v = e.embed(List.of("a photo of a dog", "a picture of a puppy", "a form for the annual tax return"));
        assertEquals(SentenceEmbedder.DIMENSION, v[0].length);
        for (float[] row : v) {
            assertEquals(1.0, SentenceEmbedder.dot(row, row), 1e-5);
        }
        double related = SentenceEmbedder.dot(v[0], v[1]);
        double unrelated = SentenceEmbedder.dot(v[0], v[2]);
        assertTrue(related > 0.5 && unrelated < 0.2, related + " vs " + unrelated);
        assertArrayEquals(v[1], e.embed("a picture of a puppy"), "same text, same vector, alone or in a batch");
        assertThrows(IllegalArgumentException.class, () -> e.embed(List.of("ok", " ")));
    }
}
