package dev.vlmadapt.runtime.clip;

/**
 * Published CLIP shapes by name, for sizing and pricing work at real scale without their weights (which cannot
 * be fetched here): benchmarks run random weights of these shapes, and run plans price a run on them.
 */
public final class ClipArchitectures {
    private ClipArchitectures() {
    }

    /** @return OpenAI's ViT-B/16 CLIP: text width 512, 12 layers, 8 heads, context 77; vision 768, 12 layers, 224 px, patch 16 */
    public static ClipConfig vitB16() {
        return ClipConfig.builder()
                .setText(new TowerConfig(512, 12, 8, 2048, Activation.QUICK_GELU, 1e-5f), 49408)
                .setVision(new TowerConfig(768, 12, 12, 3072, Activation.QUICK_GELU, 1e-5f), 224, 16)
                .setProjectionDim(512)
                .build();
    }
}
