package dev.vlmadapt.jobs;

import dev.vlmadapt.runtime.clip.Activation;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.TowerConfig;
import dev.vlmadapt.runtime.train.RandomClip;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Randomly initialised tiny CLIPs (28 px images, width 16, one layer per tower) for job tests. */
final class TinyModels {
    private TinyModels() {
    }

    /**
     * @param epochs training epochs
     * @return a hub entry's {@code pretrain-tiny} block for a tiny CLIP (16 wide, one layer per tower) on the toy
     *     dataset
     */
    static String hubRecipe(int epochs) {
        return "pretrain-tiny { datasets = [toy], epochs = " + epochs + ", batch-size = 8, warmup-steps = 1, "
                + "architecture { image-size = 28, patch-size = 7, vision-width = 16, vision-layers = 1, "
                + "vision-heads = 2, text-width = 16, text-layers = 1, text-heads = 2, context-length = 16, "
                + "projection-dim = 16 } }";
    }

    /**
     * @param dir where to write (must not exist)
     * @param projectionDim the embedding dimension
     * @param seed initialisation seed
     * @return {@code dir}
     */
    static Path random(Path dir, int projectionDim, long seed) throws IOException {
        TowerConfig tower = new TowerConfig(16, 1, 2, 64, Activation.QUICK_GELU, 1e-5f);
        ClipConfig config = ClipConfig.builder().setText(tower, 1).optContextLength(16).setVision(tower, 28, 7)
                .setProjectionDim(projectionDim).build();
        RandomClip.write(config, List.of("a photo of a stripes.", "a dot.", "a frame."), seed, dir);
        return dir;
    }
}
