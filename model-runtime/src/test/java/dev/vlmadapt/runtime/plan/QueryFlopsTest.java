package dev.vlmadapt.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlmadapt.runtime.clip.ClipArchitectures;
import dev.vlmadapt.runtime.clip.ClipConfig;
import org.junit.jupiter.api.Test;

class QueryFlopsTest {
    private final ClipConfig b16 = ClipArchitectures.vitB16();

    @Test
    void textQueryIsKPromptsPlusTheScores() {
        // ViT-B/16's text tower at 77 tokens is 5.96 GFLOPs in open_clip's profile; 100 prompts of 77 tokens
        // then cost ≈ 596 GFLOP, and scoring 1,600 features against them 2·1600·100·512 FLOPs more.
        double q = QueryFlops.textPrompt(b16, 100, 77, 1600);
        assertEquals(596e9 + 2.0 * 1600 * 100 * 512, q, 0.03 * 596e9);
        // The EOT crop: 16 tokens instead of 77 cost about a fifth (attention is a small share at this width).
        double cropped = QueryFlops.textPrompt(b16, 100, 16, 1600);
        assertEquals(16.0 / 77, cropped / q, 0.02);
    }

    @Test
    void visualQueryEncodesEveryTrainingImage() {
        // 160 images through ViT-B/16's image tower (35.13 GFLOPs each in open_clip's profile).
        assertEquals(160 * 35.13e9, QueryFlops.visualPrompt(b16, 10, 160), 0.03 * 160 * 35.13e9);
    }

    @Test
    void coopEpochIsThreeForwardPassesPerStep() {
        // 160 images in batches of 32: 5 steps, each the 10 prompts forward and backward (≈ 3 forward passes).
        double perStep = 10 * dev.vlmadapt.runtime.clip.ClipFlops.text(b16, 16);
        assertEquals(3 * (5 * perStep + 2.0 * 160 * 10 * 512), QueryFlops.coopEpoch(b16, 10, 16, 160, 32), 1);
    }
}
