package dev.vlmadapt.runtime.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClipArchitecturesTest {
    @Test
    void vitB16MatchesOpenClipsProfile() {
        // open_clip's docs/model_profile.csv, ViT-B-16: image_gflops 35.13, text_gflops 5.96 (77 tokens).
        ClipConfig b16 = ClipArchitectures.vitB16();
        assertEquals(35.13, ClipFlops.image(b16) / 1e9, 0.03 * 35.13);
        assertEquals(5.96, ClipFlops.text(b16, 77) / 1e9, 0.03 * 5.96);
        assertEquals(224, b16.imageSize());
        assertEquals(77, b16.contextLength());
    }
}
