package dev.vlmadapt.runtime.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.runtime.Goldens;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The batched objective against a double-precision reference built from one-candidate text features: cosine
 * logits times the logit scale, cross-entropy averaged over images, top-1 accuracy.
 */
class FewShotObjectiveTest {
    @Test
    void lossAndAccuracyMatchAPerCandidateDoublePrecisionReference() throws Exception {
        try (ClipModel model = ClipModel.load(Goldens.dir().resolve("tiny-quickgelu/hf"), Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            List<String> classes = List.of("cat", "dog", "shoe");
            ClassPrompts prompts = ClassPrompts.create(model, classes, "a photo of a");
            int p = model.config().projectionDim();
            SplittableRandom r = new SplittableRandom(5);
            int n = 7;
            float[][] features = new float[n][p];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    features[i][j] = (float) r.nextGaussian();
                }
                labels[i] = i % 3;
            }
            int size = prompts.contextTokens() * prompts.width();
            float[][] contexts = new float[4][];
            contexts[0] = prompts.initialContext();
            for (int c = 1; c < 4; c++) {
                contexts[c] = prompts.initialContext();
                for (int j = 0; j < size; j++) {
                    contexts[c][j] += (float) (0.5 * r.nextGaussian());
                }
            }
            try (FewShotObjective objective = new FewShotObjective(model, prompts, features, labels)) {
                FewShotObjective.Result[] batched = objective.evaluate(contexts);
                for (int c = 0; c < 4; c++) {
                    float[] g = model.encodeWithContext(prompts.tokens(), ClassPrompts.START,
                            m.create(contexts[c], new Shape(1, prompts.contextTokens(), prompts.width())), m)
                            .toFloatArray();                                                     // (1, K, P)
                    double loss = 0;
                    int correct = 0;
                    for (int i = 0; i < n; i++) {
                        double[] logits = new double[3];
                        int best = 0;
                        for (int k = 0; k < 3; k++) {
                            logits[k] = model.logitScale() * cosine(features[i], g, k * p, p);
                            if (logits[k] > logits[best]) {
                                best = k;
                            }
                        }
                        double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
                        double z = 0;
                        for (double l : logits) {
                            z += Math.exp(l - max);
                        }
                        loss -= (logits[labels[i]] - max - Math.log(z)) / n;
                        correct += best == labels[i] ? 1 : 0;
                    }
                    assertEquals(loss, batched[c].loss(), 1e-4 * Math.max(1, loss), "loss of candidate " + c);
                    assertEquals(correct / (double) n, batched[c].accuracy(), 1e-9, "accuracy of candidate " + c);
                    // One candidate alone gives the same as in the batch (up to float rounding).
                    assertEquals(batched[c].loss(), objective.evaluate(new float[][] {contexts[c]})[0].loss(), 1e-5);
                }
            }
            assertThrows(IllegalArgumentException.class,
                    () -> new FewShotObjective(model, prompts, features, new int[] {0, 1, 2, 3, 0, 1, 2}));
        }
    }

    @Test
    void queriesLeaveNoArraysBehindAndANaNContextHasNoAccuracy() throws Exception {
        try (ClipModel model = ClipModel.load(Goldens.dir().resolve("tiny-quickgelu/hf"), Device.cpu())) {
            ClassPrompts prompts = ClassPrompts.create(model, List.of("cat", "dog"), "a photo of a");
            int p = model.config().projectionDim();
            float[][] features = new float[4][p];
            for (int i = 0; i < 4; i++) {
                features[i][i] = 1;
            }
            BaseNDManager weights = (BaseNDManager) model.weights().manager();
            try (FewShotObjective objective = new FewShotObjective(model, prompts, features, new int[] {0, 1, 0, 1})) {
                float[][] ctx = {prompts.initialContext()};
                objective.evaluate(ctx);
                int live = weights.getManagedArrays().size();
                for (int q = 0; q < 20; q++) {
                    objective.evaluate(ctx);
                }
                assertEquals(live, weights.getManagedArrays().size(), "arrays alive after 20 more queries");

                float[] broken = prompts.initialContext();
                broken[3] = Float.NaN;
                FewShotObjective.Result r = objective.evaluate(new float[][] {broken})[0];
                assertTrue(Double.isNaN(r.loss()), "loss " + r.loss());
                assertTrue(Double.isNaN(r.accuracy()), "a NaN model gets no accuracy, got " + r.accuracy());
            }
        }
    }

    private static double cosine(float[] a, float[] g, int offset, int p) {
        double dot = 0;
        double na = 0;
        double ng = 0;
        for (int j = 0; j < p; j++) {
            dot += a[j] * g[offset + j];
            na += a[j] * a[j];
            ng += g[offset + j] * g[offset + j];
        }
        return dot / Math.sqrt(na * ng);
    }
}
