package dev.vlmadapt.runtime.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.vlmadapt.runtime.Goldens;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.objective.FewShotObjective;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** CoOp's autograd gradient against central differences of the forward-only objective, and a short training. */
class CoopTrainerTest {
    @Test
    void gradientMatchesFiniteDifferencesAndTrainingLowersTheLoss() throws Exception {
        try (ClipModel model = ClipModel.load(Goldens.dir().resolve("tiny-quickgelu/hf"), Device.cpu())) {
            ClassPrompts prompts = ClassPrompts.create(model, List.of("cat", "dog", "shoe"), "a photo of a");
            int p = model.config().projectionDim();
            int n = 12;
            SplittableRandom r = new SplittableRandom(2);
            float[][] features = new float[n][p];
            int[] labels = new int[n];
            float[] flat = new float[n * p];
            float[] oneHot = new float[n * 3];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < p; j++) {
                    features[i][j] = (float) r.nextGaussian();
                    flat[i * p + j] = features[i][j];
                }
                labels[i] = i % 3;
                oneHot[i * 3 + labels[i]] = 1;
            }
            float[] p0 = prompts.initialContext();
            double[] ctx = new double[p0.length];
            for (int i = 0; i < ctx.length; i++) {
                ctx[i] = p0[i] + 0.3 * r.nextGaussian();
            }
            double[] grad = new double[ctx.length];
            double loss = CoopTrainer.lossAndGradient(model, prompts, ctx, flat, oneHot, n, grad);
            try (FewShotObjective objective = new FewShotObjective(model, prompts, features, labels)) {
                assertEquals(objective.evaluate(new float[][] {toFloat(ctx)})[0].loss(), loss, 1e-4);
                // The 8 coordinates with the largest gradient, by central differences in float32 (h = 1e-2).
                Integer[] idx = new Integer[ctx.length];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = i;
                }
                java.util.Arrays.sort(idx, (a, b) -> Double.compare(Math.abs(grad[b]), Math.abs(grad[a])));
                double h = 1e-2;
                for (int t = 0; t < 8; t++) {
                    int i = idx[t];
                    double[] plus = ctx.clone();
                    double[] minus = ctx.clone();
                    plus[i] += h;
                    minus[i] -= h;
                    double fd = (objective.evaluate(new float[][] {toFloat(plus)})[0].loss()
                            - objective.evaluate(new float[][] {toFloat(minus)})[0].loss()) / (2 * h);
                    assertEquals(grad[i], fd, 0.05 * Math.abs(grad[i]) + 1e-4, "coordinate " + i);
                }
                float[] trained = CoopTrainer.train(model, prompts, features, labels,
                        new CoopTrainer.Settings(0.5, 0.9, 5e-4, 4, 6, 1e-5, 1), (e, c, l, rc) -> { });
                double before = objective.evaluate(new float[][] {p0})[0].loss();
                double after = objective.evaluate(new float[][] {trained})[0].loss();
                assertTrue(after < before, "training lowers the loss: " + before + " -> " + after);
            }
        }
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
