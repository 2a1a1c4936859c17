package dev.vlmadapt.runtime.zeroshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.Goldens;
import dev.vlmadapt.runtime.clip.ClipModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZeroShotTest {

    @Test
    void topKSharesTiesAndChecksLabels() {
        float[] scores = {
            0.1f, 0.9f, 0.0f, 0.2f,   // label 1: top-1
            0.5f, 0.5f, 0.0f, 0.2f,   // label 0: tied with one class for first: 1/2 top-1, top-2
            0.3f, 0.2f, 0.1f, 0.0f,   // label 2: third, top-3 only
            0.7f, 0.7f, 0.7f, 0.1f,   // label 1: three-way tie for first: 1/3 top-1, 2/3 top-2, top-3
        };
        int[] labels = {1, 0, 2, 1};
        assertEquals(1 + 0.5 + 0 + 1 / 3.0, TopKAccuracy.expectedCorrect(scores, 4, labels, 1), 1e-12);
        assertEquals(1 + 1 + 0 + 2 / 3.0, TopKAccuracy.expectedCorrect(scores, 4, labels, 2), 1e-12);
        assertEquals(4, TopKAccuracy.expectedCorrect(scores, 4, labels, 3), 1e-12);
        double[] credits = TopKAccuracy.credits(scores, 4, labels, 1);
        assertArrayEquals(new double[] {1, 0.5, 0, 1 / 3.0}, credits, 1e-12);
        // Classes of the rows: recall of each class with rows, then their mean.
        assertEquals((1 + 0.25 + 1 / 3.0) / 3, TopKAccuracy.meanPerClassRecall(new double[] {1, 0.5, 0, 1 / 3.0},
                new int[] {0, 1, 1, 3}, 4), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> TopKAccuracy.expectedCorrect(scores, 4, new int[] {1, 0, 4, 1}, 1));
    }

    @Test
    void aConstantModelScoresChanceNotPerfect() {
        int n = 50;
        int k = 10;
        float[] scores = new float[n * k];
        java.util.Arrays.fill(scores, 0.25f);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
        }
        assertEquals(n / (double) k, TopKAccuracy.expectedCorrect(scores, k, labels, 1), 1e-9);
        assertEquals(5 * n / (double) k, TopKAccuracy.expectedCorrect(scores, k, labels, 5), 1e-9);
    }

    @Test
    void nonFiniteScoresAreRefusedWithTheRow() {
        float[] scores = {0.1f, 0.9f, Float.NaN, 0.2f, 0.3f, 0.1f};
        var e = assertThrows(TopKAccuracy.NonFiniteScoresException.class,
                () -> TopKAccuracy.expectedCorrect(scores, 3, new int[] {1, 0}, 1));
        assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("class 2"), e.getMessage());
        float[] inf = {Float.NEGATIVE_INFINITY, 0.9f, 0.1f};
        assertThrows(TopKAccuracy.NonFiniteScoresException.class,
                () -> TopKAccuracy.expectedCorrect(inf, 3, new int[] {1}, 5));
    }

    @Test
    void deviceTop1CreditMatchesTheJavaCount() {
        // Random scores with many exact ties (few distinct values), candidates × rows × classes.
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        int c = 3;
        int n = 40;
        int k = 6;
        float[] scores = new float[c * n * k];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = r.nextInt(4) * 0.5f - 1f;
        }
        int[] labels = new int[n];
        float[] oneHot = new float[n * k];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(k);
            oneHot[i * k + labels[i]] = 1;
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray logits = m.create(scores, new ai.djl.ndarray.types.Shape(c, n, k));
            float[] credit = TopKAccuracy.top1Credit(logits, m.create(oneHot, new ai.djl.ndarray.types.Shape(n, k)))
                    .toFloatArray();                                                               // (C·N)
            for (int j = 0; j < c; j++) {
                float[] rows = java.util.Arrays.copyOfRange(scores, j * n * k, (j + 1) * n * k);
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += credit[j * n + i];
                }
                assertEquals(TopKAccuracy.expectedCorrect(rows, k, labels, 1), sum, 1e-5, "candidate " + j);
            }
            scores[n * k + 5] = Float.NaN;       // candidate 1
            scores[2 * n * k + 7] = Float.POSITIVE_INFINITY;   // candidate 2
            long[] bad = TopKAccuracy.nonFiniteCount(m.create(scores, new ai.djl.ndarray.types.Shape(c, n, k)))
                    .toLongArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {0, 1, 1}, bad);
        }
    }

    @Test
    void templateEnsembleAveragesNormalisedFeatures() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                ClipModel clip = ClipModel.load(Goldens.dir().resolve("tiny-quickgelu/hf"), Device.cpu())) {
            List<String> classes = List.of("cat", "small dog");
            List<String> templates = List.of("a photo of a {c}.", "a big picture of the {}!");
            NDArray w = ZeroShotClassifier.classWeights(clip, classes, templates, m);
            // Reference: per class, normalise each template's feature, average, renormalise (CLIP_benchmark).
            for (int c = 0; c < classes.size(); c++) {
                float[] sum = new float[(int) w.getShape().get(1)];
                for (String t : templates) {
                    float[] f = clip.encodeText(List.of(ZeroShotClassifier.fill(t, classes.get(c))), m).toFloatArray();
                    double n = 0;
                    for (float v : f) {
                        n += v * v;
                    }
                    for (int i = 0; i < f.length; i++) {
                        sum[i] += (float) (f[i] / Math.sqrt(n));
                    }
                }
                double n = 0;
                for (float v : sum) {
                    n += v * v;
                }
                float[] got = w.get(c).toFloatArray();
                for (int i = 0; i < sum.length; i++) {
                    assertEquals(sum[i] / Math.sqrt(n), got[i], 1e-5, "class " + c + " dim " + i);
                }
            }
        }
    }

    @Test
    void storedFeaturesScoreLikeTheImagesTheyCameFrom() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                ClipModel clip = ClipModel.load(Goldens.dir().resolve("tiny-quickgelu/hf"), Device.cpu())) {
            int size = clip.config().imageSize();
            java.util.SplittableRandom r = new java.util.SplittableRandom(3);
            List<dev.vlmadapt.runtime.image.RasterImage> images = new java.util.ArrayList<>();
            int[] labels = new int[13];
            for (int i = 0; i < labels.length; i++) {
                byte[] rgb = new byte[size * size * 3];
                for (int j = 0; j < rgb.length; j++) {
                    rgb[j] = (byte) r.nextInt(256);
                }
                images.add(new dev.vlmadapt.runtime.image.RasterImage(size, size, 3, rgb));
                labels[i] = r.nextInt(3);
            }
            var data = new dev.vlmadapt.runtime.data.LabeledImages(images, labels);
            List<String> classes = List.of("cat", "dog", "bird");
            List<String> templates = List.of("a photo of a {}.", "a drawing of a {}.");
            var preprocess = dev.vlmadapt.runtime.image.ClipPreprocessor.forModel(clip.config());
            float[] flat = clip.encodeImages(m.create(preprocess.applyBatch(images),
                    new ai.djl.ndarray.types.Shape(images.size(), 3, size, size)), m).toFloatArray();   // (N, P)
            int dim = clip.config().projectionDim();
            float[][] features = new float[images.size()][];
            for (int i = 0; i < features.length; i++) {
                features[i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
            }
            ZeroShotEvaluator.Result fromImages = ZeroShotEvaluator.evaluate(clip, data, classes, templates, 5, n -> { });
            ZeroShotEvaluator.Result fromFeatures = ZeroShotEvaluator.evaluateFeatures(clip, features, labels,
                    classes, templates, 4);
            assertEquals(fromImages.n(), fromFeatures.n());
            assertEquals(fromImages.top1(), fromFeatures.top1(), 1e-12);
            assertEquals(fromImages.top5(), fromFeatures.top5(), 1e-12);
            assertEquals(fromImages.meanPerClassRecall(), fromFeatures.meanPerClassRecall(), 1e-12);
            // Features of the wrong width are refused with the image named.
            features[7] = new float[dim + 1];
            var e = assertThrows(IllegalArgumentException.class, () -> ZeroShotEvaluator.evaluateFeatures(clip,
                    features, labels, classes, templates, 4));
            assertTrue(e.getMessage().contains("feature 7"), e.getMessage());
        }
    }

    @Test
    void templatesNeedAPlaceholder() {
        assertEquals("a photo of a cat.", ZeroShotClassifier.fill("a photo of a {c}.", "cat"));
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassifier.fill("a photo", "cat"));
    }
}
