package dev.vlmadapt.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.vlmadapt.runtime.clip.Activation;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipWeights;
import dev.vlmadapt.runtime.clip.TextTower;
import dev.vlmadapt.runtime.tune.CoopTrainer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Gradients must not depend on when the garbage collector runs: everything the backward pass reads has to stay
 * alive until it has run. Each case computes a gradient twice, once plainly and once with the collector run
 * between forward and backward and the memory it freed handed out again filled with NaN; the two must be
 * bit-identical. (With DJL's {@code mul(Number)} / {@code div(Number)} in these paths the second gradient came
 * out NaN or different; see {@link dev.vlmadapt.runtime.clip.Scalars}.)
 */
class GradientLifetimeTest {

    /** Runs the collector until the cleaner has freed what became unreachable, then reuses that memory. */
    private static List<ByteBuffer> collectAndReuseFreedMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(30);                       // the cleaner thread frees direct buffers after the GC
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> reuse = new ArrayList<>();
        for (int size : new int[] {4, 8, 16, 64}) {
            for (int i = 0; i < 2000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                for (int j = 0; j + 4 <= size; j += 4) {
                    b.putFloat(j, Float.NaN);
                }
                reuse.add(b);
            }
        }
        return reuse;
    }

    /**
     * @param loss builds a scalar loss from the inputs (all of which get gradients)
     * @return the gradients of the inputs, concatenated, without and with a collection before backward
     */
    private static float[][] gradients(NDManager root, Function<NDList, NDArray> loss, float[][] values,
            Shape[] shapes) {
        float[][] out = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (NDManager m = root.newSubManager()) {
                NDList inputs = new NDList();
                for (int i = 0; i < values.length; i++) {
                    NDArray x = m.create(values[i], shapes[i]);
                    x.setRequiresGradient(true);
                    inputs.add(x);
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss.apply(inputs);
                    List<ByteBuffer> keep = run == 1 ? collectAndReuseFreedMemory() : List.of();
                    gc.backward(l);
                    List<Float> all = new ArrayList<>();
                    for (NDArray x : inputs) {
                        for (float g : x.getGradient().toFloatArray()) {
                            all.add(g);
                        }
                    }
                    out[run] = new float[all.size()];
                    for (int i = 0; i < out[run].length; i++) {
                        out[run][i] = all.get(i);
                    }
                    java.lang.ref.Reference.reachabilityFence(keep);
                }
            }
        }
        return out;
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static void assertSameBits(float[][] g, String what) {
        for (float v : g[0]) {
            assertTrue(Float.isFinite(v), what + ": the undisturbed gradient is finite");
        }
        assertArrayEquals(g[0], g[1], 0f, what + ": gradient changed when the collector ran before backward");
    }

    @Test
    void quickGeluGradientSurvivesTheCollector() {
        try (NDManager root = NDManager.newBaseManager()) {
            float[][] g = gradients(root, in -> Activation.QUICK_GELU.apply(in.get(0)).sum(),
                    new float[][] {random(64, 1)}, new Shape[] {new Shape(8, 8)});
            assertSameBits(g, "QuickGELU");
        }
    }

    @Test
    void textTowerGradientSurvivesTheCollector() {
        try (NDManager root = NDManager.newBaseManager()) {
            ClipConfig config = ClipPretrainerTest.toyConfig(40);
            ClipWeights weights = ClipInitializer.initialize(config, 3, root.newSubManager());
            TextTower text = new TextTower(config, weights);
            int b = 3;
            int len = 6;
            // Attention (its 1/√d scale), LayerNorms and the QuickGELU MLP, from the embeddings to the features.
            float[][] g = gradients(root, in -> text.encodeEmbeddings(in.get(0), new int[] {5, 4, 5}).sum(),
                    new float[][] {random(b * len * text.width(), 2)}, new Shape[] {new Shape(b, len, text.width())});
            assertSameBits(g, "text tower");
            weights.close();
        }
    }

    @Test
    void contrastiveLossGradientSurvivesTheCollector() {
        try (NDManager root = NDManager.newBaseManager()) {
            int b = 6;
            int p = 16;
            float[][] g = gradients(root, in -> ContrastiveLoss.compute(in.get(0), in.get(1),
                            new int[] {0, 1, 2, 0, 1, 2}, in.get(2)),
                    new float[][] {random(b * p, 3), random(b * p, 4), {2.5f}},
                    new Shape[] {new Shape(b, p), new Shape(b, p), new Shape()});
            assertSameBits(g, "contrastive loss (image, text, temperature)");
        }
    }

    @Test
    void coopLossGradientSurvivesTheCollector() {
        try (NDManager root = NDManager.newBaseManager()) {
            int b = 5;
            int k = 4;
            float[] oneHot = new float[b * k];
            for (int i = 0; i < b; i++) {
                oneHot[i * k + i % k] = 1;
            }
            float[][] g = gradients(root, in -> CoopTrainer.crossEntropy(in.get(0),
                            in.get(0).getManager().create(oneHot, new Shape(b, k))),
                    new float[][] {random(b * k, 5)}, new Shape[] {new Shape(b, k)});
            assertSameBits(g, "CoOp's cross-entropy");
        }
    }

    @Test
    void theLearnedTemperatureIsStillClampedAndTrained() {
        try (NDManager root = NDManager.newBaseManager()) {
            int b = 4;
            int p = 8;
            // Above the clamp the temperature gets no gradient; below it does.
            float above = ContrastiveLoss.MAX_LOG_SCALE + 1;
            float[][] high = gradients(root, in -> ContrastiveLoss.compute(in.get(0), in.get(1),
                            new int[] {0, 1, 2, 3}, in.get(2)),
                    new float[][] {random(b * p, 6), random(b * p, 7), {above}},
                    new Shape[] {new Shape(b, p), new Shape(b, p), new Shape()});
            float[][] low = gradients(root, in -> ContrastiveLoss.compute(in.get(0), in.get(1),
                            new int[] {0, 1, 2, 3}, in.get(2)),
                    new float[][] {random(b * p, 6), random(b * p, 7), {1f}},
                    new Shape[] {new Shape(b, p), new Shape(b, p), new Shape()});
            assertTrue(high[0][2 * b * p] == 0f, "no gradient above the clamp");
            assertTrue(low[0][2 * b * p] != 0f, "a gradient below it");
        }
    }
}
