package dev.vlmadapt.runtime.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Worked by hand for a small configuration, and against open_clip's published profile of ViT-B/32. */
class ClipFlopsTest {
    @Test
    void smallConfigurationByHand() {
        TowerConfig tower = new TowerConfig(16, 2, 2, 64, Activation.QUICK_GELU, 1e-5f);
        ClipConfig c = ClipConfig.builder().setText(tower, 100).optContextLength(8).setVision(tower, 28, 7)
                .setProjectionDim(8).build();
        // Layer over n tokens, d = 16, mlp 64: 2·(4·n·256 + 2·n²·16 + 2·n·16·64) = 2·(3072 n + 32 n²).
        // Image: 16 patches + class token (n = 17): embedding 2·16·3·49·16, 2 layers, projection 2·16·8.
        double layer17 = 2 * (3072 * 17 + 32 * 17 * 17);
        assertEquals(2.0 * 16 * 147 * 16 + 2 * layer17 + 256, ClipFlops.image(c), 1e-6);
        double layer8 = 2 * (3072 * 8 + 32 * 8 * 8);
        assertEquals(2 * layer8 + 256, ClipFlops.text(c, 8), 1e-6);
    }

    @Test
    void vitB32IsWithin3PercentOfOpenClipsProfile() {
        // open_clip's docs/model_profile.csv: ViT-B-32 image_gflops 8.82, text_gflops 5.96 (at 77 tokens).
        TowerConfig vision = new TowerConfig(768, 12, 12, 3072, Activation.QUICK_GELU, 1e-5f);
        TowerConfig text = new TowerConfig(512, 12, 8, 2048, Activation.QUICK_GELU, 1e-5f);
        ClipConfig b32 = ClipConfig.builder().setText(text, 49408).optContextLength(77).setVision(vision, 224, 32)
                .setProjectionDim(512).build();
        assertEquals(8.82, ClipFlops.image(b32) / 1e9, 0.03 * 8.82);
        assertEquals(5.96, ClipFlops.text(b32, 77) / 1e9, 0.03 * 5.96);
    }
}
