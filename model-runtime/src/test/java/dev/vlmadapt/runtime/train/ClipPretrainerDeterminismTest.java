package dev.vlmadapt.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.vlmadapt.runtime.clip.Activation;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.clip.ClipWeights;
import dev.vlmadapt.runtime.clip.TowerConfig;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.image.RasterImage;
import dev.vlmadapt.runtime.text.ClipBpeVocabulary;
import dev.vlmadapt.runtime.text.ClipTokenizer;
import dev.vlmadapt.runtime.zeroshot.ZeroShotEvaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two single-threaded trainings with the same seed give bit-identical weights. Runs in a JVM of its own
 * (a separate surefire execution): after a multi-threaded training in the same JVM, single-threaded runs were
 * seen to differ under heavy load, which two trainings by users (each job a process) never share.
 */
class ClipPretrainerDeterminismTest {
    @Test
    void sameSeedGivesBitIdenticalWeightsOnOneThread(@TempDir Path dir) throws Exception {
        // On several threads some PyTorch CPU kernels may split sums differently when the machine is busy, so
        // bit-identity is a property of single-threaded runs (multi-threaded ones agree closely).
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads the native library that JniUtils calls
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            ClipBpeVocabulary vocab = ClipBpeVocabulary.train(List.of("a photo of a stripe dot square."), 100);
            Path tokJson = dir.resolve("tokenizer.json");
            vocab.write(tokJson);
            ClipConfig config = ClipPretrainerTest.toyConfig(vocab.size());
            PretrainSpec spec = new PretrainSpec(2, 30, 3e-3f, 0.01f, 5, 11, 0);
            CaptionedImages data = new CaptionedImages("toy", ClipPretrainerTest.toyImages(120, 1), ClipPretrainerTest.CLASSES, ClipPretrainerTest.TEMPLATES);
            try (ClipTokenizer tok = ClipTokenizer.load(tokJson, 16);
                    NDManager m = NDManager.newBaseManager(Device.cpu())) {
                float[] first = new ClipPretrainer(config, tok, spec).train(List.of(data), m.newSubManager(),
                        (epoch, step, total, loss, rate) -> { }).get("vision.layers.0.mlp.fc1.weight").toFloatArray();
                float[] again = new ClipPretrainer(config, tok, spec).train(List.of(data), m.newSubManager(),
                        (epoch, step, total, loss, rate) -> { }).get("vision.layers.0.mlp.fc1.weight").toFloatArray();
                assertArrayEquals(first, again, "same seed, same weights");
                // Style-breaking augmentation is seeded too: the same again, and not the run without it.
                PretrainSpec augmented = new PretrainSpec(2, 30, 3e-3f, 0.01f, 5, 11, 0,
                        new dev.vlmadapt.runtime.image.StyleAugmentation(0.6, 0.3, 0.3, 0.4, 0xFFFFFF));
                float[] aug1 = new ClipPretrainer(config, tok, augmented).train(List.of(data), m.newSubManager(),
                        (epoch, step, total, loss, rate) -> { }).get("vision.layers.0.mlp.fc1.weight").toFloatArray();
                float[] aug2 = new ClipPretrainer(config, tok, augmented).train(List.of(data), m.newSubManager(),
                        (epoch, step, total, loss, rate) -> { }).get("vision.layers.0.mlp.fc1.weight").toFloatArray();
                assertArrayEquals(aug1, aug2, "same seed and augmentation, same weights");
                org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(first, aug1),
                        "augmentation changes what is learnt");
            }
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }
}
