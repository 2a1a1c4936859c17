package dev.vlmadapt.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.vlmadapt.runtime.clip.Activation;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.clip.ClipTensors;
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

/** Contrastive pretraining of a very small CLIP on a toy task that a working trainer must learn. */
class ClipPretrainerTest {
    static final List<String> CLASSES = List.of("stripe", "dot", "square");
    static final List<String> TEMPLATES = List.of("a photo of a {c}.", "a {c}.");

    @Test
    void learnsToyTask(@TempDir Path dir) throws Exception {
        ClipBpeVocabulary vocab = ClipBpeVocabulary.train(List.of("a photo of a stripe dot square."), 100);
        Path tokJson = dir.resolve("tokenizer.json");
        vocab.write(tokJson);
        ClipConfig config = toyConfig(vocab.size());
        LabeledImages train = toyImages(300, 1);
        LabeledImages test = toyImages(90, 2);
        PretrainSpec spec = new PretrainSpec(6, 30, 3e-3f, 0.01f, 5, 11, 0);
        CaptionedImages data = new CaptionedImages("toy", train, CLASSES, TEMPLATES);

        List<Double> losses = new ArrayList<>();
        try (ClipTokenizer tok = ClipTokenizer.load(tokJson, 16);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ClipWeights w = new ClipPretrainer(config, tok, spec).train(List.of(data), m.newSubManager(),
                    (epoch, step, total, loss, rate) -> losses.add(loss));
            try (ClipModel model = new ClipModel(config, w, ClipTokenizer.load(tokJson, 16), null)) {
                ZeroShotEvaluator.Result r = ZeroShotEvaluator.evaluate(model, test, CLASSES, TEMPLATES, 64, n -> { });
                assertTrue(r.top1() >= 0.9, "toy zero-shot top-1 " + r.top1());
            }
        }
        assertEquals(6, losses.size());
        // With same-class pairs as positives the loss cannot go below the entropy of the targets, about
        // log(30 / 3) for batches of 30 over 3 classes; a trainer that learns gets close to it.
        assertTrue(losses.get(5) < losses.get(0), "loss falls: " + losses);
        assertTrue(losses.get(5) < Math.log(10) + 0.15, "loss near its floor: " + losses);
    }


    @Test
    void aDivergingRunStopsWithTheStepAndWhatWentNonFinite(@TempDir Path dir) throws Exception {
        ClipBpeVocabulary vocab = ClipBpeVocabulary.train(List.of("a photo of a stripe dot square."), 100);
        Path tokJson = dir.resolve("tokenizer.json");
        vocab.write(tokJson);
        // Adam's first step moves every weight by about the learning rate: 1e30 overflows the second forward pass.
        PretrainSpec spec = new PretrainSpec(1, 30, 1e30f, 0f, 0, 11, 0);
        CaptionedImages data = new CaptionedImages("toy", toyImages(90, 1), CLASSES, TEMPLATES);
        List<Integer> epochs = new ArrayList<>();
        try (ClipTokenizer tok = ClipTokenizer.load(tokJson, 16);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ClipPretrainer trainer = new ClipPretrainer(toyConfig(vocab.size()), tok, spec);
            ClipPretrainer.NonFiniteTrainingException e = assertThrows(ClipPretrainer.NonFiniteTrainingException.class,
                    () -> trainer.train(List.of(data), m.newSubManager(), (ep, st, t, l, r) -> epochs.add(ep)));
            assertTrue(e.getMessage().startsWith("pretraining diverged at step 2 (epoch 1)"), e.getMessage());
            assertTrue(e.getMessage().contains("non-finite gradients in"), e.getMessage());
        }
        assertTrue(epochs.isEmpty(), "no epoch was reported as done");
    }

    @Test
    void aTransientNaNGradientIsRecomputedToTheSameModel(@TempDir Path dir) throws Exception {
        ClipBpeVocabulary vocab = ClipBpeVocabulary.train(List.of("a photo of a stripe dot square."), 100);
        Path tokJson = dir.resolve("tokenizer.json");
        vocab.write(tokJson);
        PretrainSpec spec = new PretrainSpec(2, 30, 3e-3f, 0.01f, 2, 11, 0);
        CaptionedImages data = new CaptionedImages("toy", toyImages(90, 1), CLASSES, TEMPLATES);
        float[][] results = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (ClipTokenizer tok = ClipTokenizer.load(tokJson, 16);
                    NDManager m = NDManager.newBaseManager(Device.cpu())) {
                ClipPretrainer trainer = new ClipPretrainer(toyConfig(vocab.size()), tok, spec);
                if (run == 1) {
                    trainer.injectFaultAt(3);
                }
                ClipWeights w = trainer.train(List.of(data), m.newSubManager(), (ep, st, t, l, r) -> { });
                assertEquals(run, trainer.recomputedSteps(), "recomputed steps in run " + run);
                results[run] = w.get(ClipTensors.PATCH_EMBEDDING).toFloatArray();
            }
        }
        // Clearing the poisoned gradient buffer and recomputing the step gives exactly the undisturbed model.
        org.junit.jupiter.api.Assertions.assertArrayEquals(results[0], results[1]);
    }

    static ClipConfig toyConfig(int vocabSize) {
        return ClipConfig.builder()
                .setText(new TowerConfig(32, 1, 2, 64, Activation.QUICK_GELU, 1e-5f), vocabSize)
                .optContextLength(16)
                .setVision(new TowerConfig(32, 1, 2, 64, Activation.QUICK_GELU, 1e-5f), 16, 4)
                .setProjectionDim(16)
                .build();
    }

    /** Gray 16×16 images: horizontal stripes, a central dot, or a hollow square, with pixel noise. */
    static LabeledImages toyImages(int n, long seed) {
        Random rng = new Random(seed);
        List<RasterImage> images = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            byte[] px = new byte[16 * 16];
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    boolean on = switch (label) {
                        case 0 -> y % 4 < 2;
                        case 1 -> (x - 8) * (x - 8) + (y - 8) * (y - 8) < 16;
                        default -> (x == 3 || x == 12 || y == 3 || y == 12) && x >= 3 && x <= 12 && y >= 3 && y <= 12;
                    };
                    int v = (on ? 200 : 30) + rng.nextInt(40) - 20;
                    px[y * 16 + x] = (byte) v;
                }
            }
            images.add(new RasterImage(16, 16, 1, px));
            labels[i] = label;
        }
        return new LabeledImages(images, labels);
    }
}
