package dev.vlmadapt.jobs;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.clip.Activation;
import dev.vlmadapt.runtime.clip.CheckpointLayout;
import dev.vlmadapt.runtime.clip.CheckpointWriter;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipWeights;
import dev.vlmadapt.runtime.clip.TowerConfig;
import dev.vlmadapt.runtime.text.ClipBpeVocabulary;
import dev.vlmadapt.runtime.train.ClipInitializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Randomly initialised tiny CLIPs written in the Hugging Face layout, for job tests. */
final class TinyModels {
    private TinyModels() {
    }

    /**
     * @param dir where to write (created)
     * @param projectionDim the embedding dimension
     * @param seed initialisation seed
     * @return {@code dir}
     */
    static Path random(Path dir, int projectionDim, long seed) throws IOException {
        ClipBpeVocabulary vocab = ClipBpeVocabulary.train(List.of("a photo of a stripes.", "a dot.", "a frame."), 50);
        Path scratch = Files.createTempDirectory("tiny-tokenizer");
        Path tokenizer = scratch.resolve("tokenizer.json");
        vocab.write(tokenizer);
        TowerConfig text = new TowerConfig(16, 1, 2, 64, Activation.QUICK_GELU, 1e-5f);
        TowerConfig vision = new TowerConfig(16, 1, 2, 64, Activation.QUICK_GELU, 1e-5f);
        ClipConfig config = ClipConfig.builder().setText(text, vocab.size()).optContextLength(16)
                .setVision(vision, 28, 7).setProjectionDim(projectionDim).build();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ClipWeights weights = ClipInitializer.initialize(config, seed, m);
            CheckpointWriter.write(config, weights, tokenizer, vocab.sotId(), vocab.eotId(),
                    CheckpointLayout.HUGGING_FACE, dir);
        }
        return dir;
    }
}
