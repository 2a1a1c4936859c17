package dev.vlmadapt.runtime.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParameterizationTest {
    private static float[] p0(int size) {
        float[] p = new float[size];
        for (int i = 0; i < size; i++) {
            p[i] = (float) Math.sin(i);
        }
        return p;
    }

    @Test
    void subspacePromptIsP0PlusALinearMap() {
        SubspacePrompt s = new SubspacePrompt(p0(12), 5, 0.2, 3);
        assertArrayEquals(p0(12), s.context(s.initial()), "w = 0 gives p0");
        double[] a = {1, 0, -2, 0.5, 3};
        double[] b = {0, 2, 1, -1, 0.25};
        double[] ab = new double[5];
        for (int i = 0; i < 5; i++) {
            ab[i] = a[i] + b[i];
        }
        float[] ca = s.context(a);
        float[] cb = s.context(b);
        float[] cab = s.context(ab);
        float[] p = p0(12);
        for (int i = 0; i < 12; i++) {
            assertEquals(cab[i] - p[i], (ca[i] - p[i]) + (cb[i] - p[i]), 1e-5, "linear in w");
        }
        // Same seed, same A; entries have the configured scale.
        assertArrayEquals(ca, new SubspacePrompt(p0(12), 5, 0.2, 3).context(a));
        SubspacePrompt big = new SubspacePrompt(new float[400], 400, 0.2, 1);
        double sumSq = 0;
        for (int j = 0; j < 400; j++) {
            double[] e = new double[400];
            e[j] = 1;
            float c = big.context(e)[7];
            sumSq += c * c;
        }
        assertEquals(0.2, Math.sqrt(sumSq / 400), 0.02, "std of A's entries");
    }

    @Test
    void aGroupsContextsAreBitIdenticalToOnePointAtATime() {
        // d = 70 spans two full blocks of columns and a partial one; n·D = 36 rows.
        SubspacePrompt s = new SubspacePrompt(p0(36), 70, 0.2, 5);
        SplittableRandom r = new SplittableRandom(2);
        double[][] points = new double[5][70];
        for (double[] w : points) {
            for (int j = 0; j < w.length; j++) {
                w[j] = r.nextGaussian() * Math.exp(3 * r.nextGaussian());      // magnitudes over many binades
            }
        }
        float[][] group = s.contexts(points);
        double[][] products = s.products(points);
        for (int i = 0; i < points.length; i++) {
            assertArrayEquals(s.context(points[i]), group[i], 0f, "point " + i);
            // The sums themselves, before rounding to float hides most differences of order.
            assertArrayEquals(s.product(points[i]), products[i], 0.0, "A·w of point " + i);
        }
        assertEquals(0, s.contexts(new double[0][]).length);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.contexts(new double[][] {new double[70], new double[69]}));
        assertTrue(e.getMessage().contains("point 1"), e.getMessage());
    }

    @Test
    void fastfoodIsLinearWithAnExactHadamardKernel() {
        int in = 6;
        int out = 11;
        Fastfood f = new Fastfood(in, out, 9);
        // The dense matrix, column by column, from the images of the unit vectors: the map is linear ...
        double[][] m = new double[out][in];
        for (int j = 0; j < in; j++) {
            double[] e = new double[in];
            e[j] = 1;
            double[] col = f.apply(e);
            for (int i = 0; i < out; i++) {
                m[i][j] = col[i];
            }
        }
        SplittableRandom r = new SplittableRandom(1);
        double[] x = new double[in];
        for (int j = 0; j < in; j++) {
            x[j] = r.nextGaussian();
        }
        double[] y = f.apply(x);
        for (int i = 0; i < out; i++) {
            double s = 0;
            for (int j = 0; j < in; j++) {
                s += m[i][j] * x[j];
            }
            assertEquals(s, y[i], 1e-12, "linear");
        }
        // ... and each 8-wide block is orthogonal up to a common scale: its columns have equal norms and are
        // orthogonal (H G Π H B with ±1/Gaussian diagonals has orthogonal columns only in expectation, so the
        // check is on the Walsh–Hadamard kernel instead: H·H = L·I).
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] w = v.clone();
        Fastfood.hadamard(w);
        Fastfood.hadamard(w);
        for (int i = 0; i < 8; i++) {
            assertEquals(8 * v[i], w[i], 1e-12);
        }
        double[] h = {1, 0, 0, 0};
        Fastfood.hadamard(h);
        assertArrayEquals(new double[] {1, 1, 1, 1}, h, 0.0);
        double[] h2 = {0, 1, 0, 0};
        Fastfood.hadamard(h2);
        assertArrayEquals(new double[] {1, -1, 1, -1}, h2, 0.0);
    }

    @Test
    void fastfoodAboutPreservesNorms() {
        Fastfood f = new Fastfood(62, 512, 4);
        SplittableRandom r = new SplittableRandom(2);
        double ratio = 0;
        for (int t = 0; t < 50; t++) {
            double[] x = new double[62];
            double nx = 0;
            for (int j = 0; j < 62; j++) {
                x[j] = r.nextGaussian();
                nx += x[j] * x[j];
            }
            double[] y = f.apply(x);
            double ny = 0;
            for (double v : y) {
                ny += v * v;
            }
            ratio += Math.sqrt(ny / nx) / 50;
        }
        // 8 stacked blocks of 64: each about norm-preserving, so |y| ≈ √8·|x|.
        assertEquals(Math.sqrt(8), ratio, 0.3);
    }

    @Test
    void zipStartsAtP0AndCountsItsParameters() {
        ZipPrompt z = new ZipPrompt(p0(4 * 16), 4, 16, 62, 5, 1);
        assertEquals(4 * 5 + 5 + 62 * 5 + 62, z.dimension());
        assertArrayEquals(p0(64), z.context(z.initial()), "U = 0 and v_shared = 0 give p0");
        double[] w = z.initial();
        w[z.dimension() - 1] = 0.5;     // a shared-vector entry moves every token the same way
        float[] c = z.context(w);
        float[] p = p0(64);
        for (int col = 0; col < 16; col++) {
            assertEquals(c[col] - p[col], c[16 + col] - p[16 + col], 1e-6);
        }
        assertTrue(Math.abs(c[0] - p[0]) + Math.abs(c[5] - p[5]) > 0);
    }

    @Test
    void freeContextIsTheContext() {
        FreeContext f = new FreeContext(p0(8));
        assertEquals(8, f.dimension());
        assertArrayEquals(p0(8), f.context(f.initial()));
    }
}
