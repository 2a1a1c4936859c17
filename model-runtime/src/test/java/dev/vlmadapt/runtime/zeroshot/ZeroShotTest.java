package dev.vlmadapt.runtime.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.Goldens;
import dev.vlmadapt.runtime.clip.ClipModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZeroShotTest {

    @Test
    void topKCountsTiesInFavourAndChecksLabels() {
        float[] scores = {
            0.1f, 0.9f, 0.0f,   // label 1: top-1
            0.5f, 0.5f, 0.0f,   // label 0: tie for first counts as top-1
            0.3f, 0.2f, 0.1f,   // label 2: third, top-3 only
        };
        int[] labels = {1, 0, 2};
        assertEquals(2, TopKAccuracy.countCorrect(scores, 3, labels, 1));
        assertEquals(2, TopKAccuracy.countCorrect(scores, 3, labels, 2));
        assertEquals(3, TopKAccuracy.countCorrect(scores, 3, labels, 3));
        assertThrows(IllegalArgumentException.class, () -> TopKAccuracy.countCorrect(scores, 3, new int[] {1, 0, 3}, 1));
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
    void templatesNeedAPlaceholder() {
        assertEquals("a photo of a cat.", ZeroShotClassifier.fill("a photo of a {c}.", "cat"));
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassifier.fill("a photo", "cat"));
    }
}
