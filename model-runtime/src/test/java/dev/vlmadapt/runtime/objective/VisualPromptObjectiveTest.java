package dev.vlmadapt.runtime.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.runtime.Goldens;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import dev.vlmadapt.runtime.prompt.VisualPrompt;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BlackVIP's objective: with a zero prompt it is the cached-feature objective on the images' own features;
 * with a prompt it is that objective on the prompted images' features, over more images than one chunk.
 */
class VisualPromptObjectiveTest {
    private static final int N = VisualPromptObjective.CHUNK + 44;

    @Test
    void zeroPromptIsTheZeroShotLossAndPromptsAreEncodedImageByImage() throws Exception {
        try (ClipModel model = ClipModel.load(Goldens.dir().resolve("tiny-quickgelu/hf"), Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ClassPrompts prompts = ClassPrompts.create(model, List.of("cat", "dog", "shoe"), "a photo of a");
            int s = model.config().imageSize();
            SplittableRandom r = new SplittableRandom(3);
            float[] pixels = new float[N * 3 * s * s];
            float[] mean = model.config().imageMean();
            float[] std = model.config().imageStd();
            for (int i = 0; i < pixels.length; i++) {
                int channel = i / (s * s) % 3;   // a real image: [0, 1] pixels, normalised
                pixels[i] = (float) ((r.nextDouble() - mean[channel]) / std[channel]);
            }
            int[] labels = new int[N];
            for (int i = 0; i < N; i++) {
                labels[i] = i % 3;
            }
            NDArray x = m.create(pixels, new Shape(N, 3, s, s));
            float[][] own = rows(model.encodeImages(x, m));
            VisualPrompt vp = new VisualPrompt(new VisualPrompt.Settings(4, 3, 4, 1.0), model.config().projectionDim(),
                    s, model.config().imageMean(), model.config().imageStd(), 11);
            double[] w0 = vp.initial();
            double[] w1 = w0.clone();
            for (int i = vp.settings().triggerDim(); i < w1.length; i++) {
                w1[i] = 0.3 * r.nextGaussian();
            }
            try (VisualPromptObjective visual = new VisualPromptObjective(model, prompts, vp,
                    new FewShotSet(own, labels, pixels))) {
                FewShotObjective.Result[] both = visual.evaluate(new double[][] {w0, w1});
                // Reference for w1: prompt all images at once, encode, and score with the cached-feature objective.
                float[][] prompted = rows(model.encodeImages(promptedAll(m, vp, own, pixels, w1, s), m));
                try (FewShotObjective cached = new FewShotObjective(model, prompts, own, labels);
                        FewShotObjective cachedPrompted = new FewShotObjective(model, prompts, prompted, labels)) {
                    float[][] p0 = {prompts.initialContext()};
                    FewShotObjective.Result zeroShot = cached.evaluate(p0)[0];
                    FewShotObjective.Result withPrompt = cachedPrompted.evaluate(p0)[0];
                    assertEquals(zeroShot.loss(), both[0].loss(), 1e-5, "zero prompt = zero-shot loss");
                    assertEquals(zeroShot.accuracy(), both[0].accuracy(), 1.0 / N + 1e-12);
                    assertEquals(withPrompt.loss(), both[1].loss(), 1e-5, "prompted loss");
                    assertEquals(withPrompt.accuracy(), both[1].accuracy(), 1.0 / N + 1e-12);
                    assertNotEquals(both[0].loss(), both[1].loss(), "the prompt changes the loss");
                }
                FewShotObjective.Result alone = visual.evaluate(new double[][] {w1})[0];
                assertEquals(both[1].loss(), alone.loss(), 1e-5, "a candidate's loss does not depend on its group");
                assertTrue(Double.isFinite(alone.loss()));
            }
            assertThrows(IllegalArgumentException.class, () -> new VisualPromptObjective(model, prompts, vp,
                    new FewShotSet(own, labels, null)), "pixels are required");
        }
    }

    @Test
    void passesAreBoundedPerCandidateAndInPixels() {
        assertEquals(VisualPromptObjective.CHUNK, VisualPromptObjective.imagesPerCandidate(10, 28));
        assertEquals(55, VisualPromptObjective.imagesPerCandidate(1, 224), "2^23 / (3·224²)");
        assertEquals(5, VisualPromptObjective.imagesPerCandidate(10, 224));
        assertEquals(1, VisualPromptObjective.imagesPerCandidate(1000, 224), "at least one image");
    }

    /** The prompted images (N, 3, S, S) of one candidate, from the codes R·f/|f| computed here in double. */
    private static NDArray promptedAll(NDManager m, VisualPrompt vp, float[][] features, float[] pixels, double[] w,
            int s) {
        int e = vp.settings().codeDim();
        int p = vp.featureDim();
        float[] r = vp.projection();
        float[] codes = new float[N * e];
        for (int i = 0; i < N; i++) {
            double norm = 0;
            for (float v : features[i]) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int a = 0; a < e; a++) {
                double dot = 0;
                for (int b = 0; b < p; b++) {
                    dot += r[a * p + b] * features[i][b];
                }
                codes[i * e + a] = (float) (dot / norm);
            }
        }
        float[] wf = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            wf[i] = (float) w[i];
        }
        NDArray out = VisualPromptObjective.prompted(m.create(pixels, new Shape(N, 3, s, s)),
                m.create(codes, new Shape(N, e)), m.create(wf, new Shape(1, w.length)), vp);   // (1, N, 3, S, S)
        return out.reshape(N, 3, s, s);
    }

    private static float[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0);
        int d = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }
}
