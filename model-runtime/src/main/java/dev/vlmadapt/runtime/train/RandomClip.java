package dev.vlmadapt.runtime.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.clip.CheckpointLayout;
import dev.vlmadapt.runtime.clip.CheckpointWriter;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipWeights;
import dev.vlmadapt.runtime.io.StagedDirectory;
import dev.vlmadapt.runtime.text.ClipBpeVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * A randomly initialised CLIP checkpoint (OpenCLIP initialisation, a BPE vocabulary trained on a small corpus),
 * for benchmarks and tests whose measurements do not depend on trained weights.
 */
public final class RandomClip {
    private RandomClip() {
    }

    /**
     * @param architecture the architecture; its vocabulary size is replaced by the trained vocabulary's
     * @param corpus texts the vocabulary must cover well
     * @param seed initialisation seed
     * @param dir where to write the Hugging Face layout (must not exist)
     * @return the architecture as written
     * @throws IOException if writing fails
     */
    public static ClipConfig write(ClipConfig architecture, Collection<String> corpus, long seed, Path dir)
            throws IOException {
        ClipBpeVocabulary vocab = ClipBpeVocabulary.train(corpus, 200);
        Path scratch = Files.createTempDirectory("vlmadapt-tokenizer-");
        try {
            Path tokenizer = scratch.resolve("tokenizer.json");
            vocab.write(tokenizer);
            ClipConfig config = architecture.toBuilder().setText(architecture.text(), vocab.size()).build();
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                ClipWeights weights = ClipInitializer.initialize(config, seed, m);
                CheckpointWriter.write(config, weights, tokenizer, vocab.sotId(), vocab.eotId(),
                        CheckpointLayout.HUGGING_FACE, dir);
            }
            return config;
        } finally {
            StagedDirectory.deleteRecursively(scratch);
        }
    }
}
