package dev.vlmadapt.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.runtime.Goldens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerTest {
    private static final Path FIXTURE = Goldens.dir().resolve("tiny-quickgelu/hf/tokenizer.json");

    @Test
    void matchesReferenceBpe() throws IOException {
        // Expected ids come from the Python reference BPE in tools/goldens/make_goldens.py.
        JsonNode cases = new ObjectMapper().readTree(Goldens.dir().resolve("tokenizer_cases.json").toFile());
        try (ClipTokenizer tok = ClipTokenizer.load(FIXTURE, 77)) {
            for (int i = 0; i < cases.get("sentences").size(); i++) {
                String s = cases.get("sentences").get(i).asText();
                long[] expected = new ObjectMapper().convertValue(cases.get("ids").get(i), long[].class);
                assertArrayEquals(expected, tok.tokenize(s), s);
            }
        }
    }

    @Test
    void padsToContextAndRecordsEot() throws IOException {
        try (ClipTokenizer tok = ClipTokenizer.load(FIXTURE, 77)) {
            TokenBatch b = tok.encode(List.of("a photo of a cat.", "dog"));
            assertEquals(77, b.contextLength());
            assertArrayEquals(new int[] {7, 2}, b.eotIndices());
            long[] row = b.row(1);
            assertEquals(tok.sotId(), row[0]);
            assertEquals(tok.eotId(), row[2]);
            assertEquals(0L, b.idsCropped(77)[77 + 3], "padding after EOT");
        }
    }

    @Test
    void truncationKeepsEot() throws IOException {
        try (ClipTokenizer tok = ClipTokenizer.load(FIXTURE, 16)) {
            long[] ids = tok.tokenize("a big picture of the small dog ".repeat(10));
            assertEquals(16, ids.length);
            assertEquals(tok.sotId(), ids[0]);
            assertEquals(tok.eotId(), ids[15]);
        }
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> ClipTokenizer.load(dir.resolve("tokenizer.json"), 77));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()), e.getMessage());
    }

    @Test
    void learnedVocabularyRoundTrips(@TempDir Path dir) throws IOException {
        List<String> corpus = List.of("a photo of a t-shirt.", "a photo of the ankle boot.",
                "a handwritten 7.", "a photo of the number: \"3\".");
        ClipBpeVocabulary vocab = ClipBpeVocabulary.train(corpus, 1000);
        Path file = dir.resolve("tokenizer.json");
        vocab.write(file);
        assertEquals(vocab.size() - 1, vocab.eotId(), "EOT is the largest id, as OpenCLIP's argmax pooling needs");
        try (ClipTokenizer tok = ClipTokenizer.load(file, 77)) {
            for (String word : List.of("photo", "ankle", "boot", "handwritten", "number", "t", "-", "7", "\"")) {
                assertEquals(1, tok.tokenIds(word).length, "corpus word '" + word + "' is one token");
            }
            // Text outside the corpus, even non-ASCII, still tokenizes through the byte alphabet.
            long[] ids = tok.tokenIds("zebra über");
            assertTrue(ids.length >= 2, "byte-level fallback");
            for (long id : ids) {
                assertTrue(id != tok.eotId() && id != tok.sotId(), "no unknown token");
            }
        }
        ClipBpeVocabulary again = ClipBpeVocabulary.train(corpus, 1000);
        Path file2 = dir.resolve("again.json");
        again.write(file2);
        assertEquals(Files.readString(file), Files.readString(file2), "training is deterministic");
    }
}
