package dev.vlmadapt.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionedImagesTest {
    @Test
    void extraCaptionsFollowEachClasssTemplateCaptions() {
        var images = ClipPretrainerTest.toyImages(6, 1);
        CaptionedImages plain = new CaptionedImages("toy", images, List.of("cat", "dog", "owl"),
                List.of("a {c}.", "the {c}."));
        assertEquals(List.of("a cat.", "the cat.", "a dog.", "the dog.", "a owl.", "the owl."), plain.captions());
        assertEquals(2, plain.captionCount(1));
        CaptionedImages tagged = new CaptionedImages("toy", images, List.of("cat", "dog", "owl"),
                List.of("a {c}."), List.of(List.of("cat: pet, whiskers"), List.of(), List.of("owl: bird", "owl: night")));
        assertEquals(List.of("a cat.", "cat: pet, whiskers", "a dog.", "a owl.", "owl: bird", "owl: night"),
                tagged.captions());
        assertEquals(2, tagged.captionCount(0));
        assertEquals(1, tagged.captionCount(1));
        assertEquals(3, tagged.captionCount(2));
        assertThrows(IllegalArgumentException.class, () -> new CaptionedImages("toy", images, List.of("cat", "dog",
                "owl"), List.of("a {c}."), List.of(List.of("x"))));
    }
}
