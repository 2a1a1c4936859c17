package dev.vlmadapt.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContrastiveLossTest {

    @Test
    void matchesPlainJavaReference() {
        int b = 6;
        int p = 5;
        int[] classOf = {0, 1, 0, 2, 1, 3};
        Random rng = new Random(3);
        float[] img = new float[b * p];
        float[] txt = new float[b * p];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) rng.nextGaussian();
            txt[i] = (float) rng.nextGaussian();
        }
        float logScale = 2.3f;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray loss = ContrastiveLoss.compute(m.create(img, new Shape(b, p)), m.create(txt, new Shape(b, p)),
                    classOf, m.create(logScale));
            assertEquals(reference(img, txt, classOf, b, p, logScale), loss.getFloat(), 1e-5);
            // The temperature is clamped at 100, as in CLIP.
            NDArray clamped = ContrastiveLoss.compute(m.create(img, new Shape(b, p)), m.create(txt, new Shape(b, p)),
                    classOf, m.create(7f));
            assertEquals(reference(img, txt, classOf, b, p, (float) Math.log(100)), clamped.getFloat(), 1e-4);
            // A caption shared by two classes (pair 3's caption also describes image 0, not the other way round):
            // the image→text rows and the text→image rows then have different positives.
            boolean[] positive = ContrastiveLoss.sameClass(classOf);
            positive[0 * b + 3] = true;
            NDArray shared = ContrastiveLoss.compute(m.create(img, new Shape(b, p)), m.create(txt, new Shape(b, p)),
                    positive, m.create(logScale));
            assertEquals(reference(img, txt, positive, b, p, logScale), shared.getFloat(), 1e-5);
            assertNotEquals(reference(img, txt, classOf, b, p, logScale), shared.getFloat(), 1e-3);
            boolean[] noDiagonal = ContrastiveLoss.sameClass(classOf);
            noDiagonal[2 * b + 2] = false;
            assertThrows(IllegalArgumentException.class, () -> ContrastiveLoss.compute(m.create(img,
                    new Shape(b, p)), m.create(txt, new Shape(b, p)), noDiagonal, m.create(logScale)));
        }
    }

    private static double reference(float[] img, float[] txt, int[] cls, int b, int p, float logScale) {
        boolean[] positive = new boolean[b * b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                positive[i * b + j] = cls[i] == cls[j];
            }
        }
        return reference(img, txt, positive, b, p, logScale);
    }

    /**
     * Cross-entropy both ways with each row's target spread evenly over its positives (image i, caption j:
     * {@code positive[i·b + j]}), in double precision.
     */
    private static double reference(float[] img, float[] txt, boolean[] pos, int b, int p, float logScale) {
        double[][] logits = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double dot = 0;
                double ni = 0;
                double nj = 0;
                for (int k = 0; k < p; k++) {
                    dot += img[i * p + k] * txt[j * p + k];
                    ni += img[i * p + k] * img[i * p + k];
                    nj += txt[j * p + k] * txt[j * p + k];
                }
                logits[i][j] = Math.exp(logScale) * dot / Math.sqrt(ni * nj);
            }
        }
        double total = 0;
        for (int dir = 0; dir < 2; dir++) {
            for (int i = 0; i < b; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < b; j++) {
                    max = Math.max(max, dir == 0 ? logits[i][j] : logits[j][i]);
                }
                double z = 0;
                for (int j = 0; j < b; j++) {
                    z += Math.exp((dir == 0 ? logits[i][j] : logits[j][i]) - max);
                }
                int positives = 0;
                for (int j = 0; j < b; j++) {
                    positives += (dir == 0 ? pos[i * b + j] : pos[j * b + i]) ? 1 : 0;
                }
                for (int j = 0; j < b; j++) {
                    if (dir == 0 ? pos[i * b + j] : pos[j * b + i]) {
                        double logp = (dir == 0 ? logits[i][j] : logits[j][i]) - max - Math.log(z);
                        total -= logp / positives;
                    }
                }
            }
        }
        return total / (2 * b);
    }
}
