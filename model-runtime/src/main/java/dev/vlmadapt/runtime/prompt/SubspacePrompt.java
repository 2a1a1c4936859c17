package dev.vlmadapt.runtime.prompt;

import dev.vlmadapt.runtime.random.Seeds;
import java.util.SplittableRandom;

/**
 * BBT's and SharpZO's prompt: {@code ctx(w) = p0 + reshape(A·w, n×D)} with a fixed random
 * {@code A ∈ R^{(n·D)×d}}, entries N(0, s_A²), and p0 the token embeddings of the initial context
 * ("a photo of a"). w starts at 0, so the first context is p0.
 */
public final class SubspacePrompt implements Parameterization {
    private static final long serialVersionUID = 1L;
    /** Columns of A per block of {@link #contexts}: 32 columns of n·D = 512 doubles are 128 KB, within L2. */
    private static final int BLOCK = 32;

    private final float[] p0;
    private final int d;
    private final double scale;
    private final long seed;
    private transient volatile double[][] a;   // (n·D, d), built on first use
    private transient volatile double[] at;    // Aᵀ (d, n·D) row-major, built on first use of contexts

    /**
     * @param p0 initial context, n·D floats
     * @param d subspace dimension (512 in the papers)
     * @param scale s_A, the standard deviation of A's entries
     * @param seed seed of A
     */
    public SubspacePrompt(float[] p0, int d, double scale, long seed) {
        if (d < 1 || !(scale > 0)) {
            throw new IllegalArgumentException("need d >= 1 and s_A > 0, got " + d + ", " + scale);
        }
        this.p0 = p0.clone();
        this.d = d;
        this.scale = scale;
        this.seed = seed;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public double[] initial() {
        return new double[d];
    }

    @Override
    public float[] context(double[] w) {
        return shifted(product(w));
    }

    /** @return A·w, one dot product per row of A */
    double[] product(double[] w) {
        if (w.length != d) {
            throw new IllegalArgumentException("expected " + d + " parameters, got " + w.length);
        }
        double[][] m = a != null ? a : matrix();
        double[] out = new double[p0.length];
        for (int r = 0; r < p0.length; r++) {
            double s = 0;
            double[] row = m[r];
            for (int j = 0; j < d; j++) {
                s += row[j] * w[j];
            }
            out[r] = s;
        }
        return out;
    }

    private float[] shifted(double[] product) {
        float[] out = new float[p0.length];
        for (int r = 0; r < p0.length; r++) {
            out[r] = (float) (p0[r] + product[r]);
        }
        return out;
    }

    @Override
    public float[][] contexts(double[][] points) {
        double[][] products = products(points);
        float[][] out = new float[points.length][];
        for (int i = 0; i < points.length; i++) {
            out[i] = shifted(products[i]);
        }
        return out;
    }

    /**
     * A·w for a group of points as Σ_j w_j·A[:, j], j ascending: for every output the same products added in the
     * same order as {@link #product}, so the same bits, but each block of A's columns is read from memory once
     * for the whole group instead of all of A once per point (A is 2 MB at n·D = d = 512).
     */
    double[][] products(double[][] points) {
        int rows = p0.length;
        double[] t = at != null ? at : transposed();
        double[][] sums = new double[points.length][rows];                        // (C, n·D)
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != d) {
                throw new IllegalArgumentException("point " + i + ": expected " + d + " parameters, got "
                        + points[i].length);
            }
        }
        for (int j0 = 0; j0 < d; j0 += BLOCK) {
            int j1 = Math.min(d, j0 + BLOCK);
            for (int i = 0; i < points.length; i++) {
                double[] w = points[i];
                double[] s = sums[i];
                for (int j = j0; j < j1; j++) {
                    double wj = w[j];
                    int column = j * rows;
                    for (int r = 0; r < rows; r++) {
                        s[r] += t[column + r] * wj;
                    }
                }
            }
        }
        return sums;
    }

    private synchronized double[] transposed() {
        if (at == null) {
            double[][] m = a != null ? a : matrix();
            int rows = m.length;
            double[] t = new double[d * rows];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < d; j++) {
                    t[j * rows + r] = m[r][j];
                }
            }
            at = t;
        }
        return at;
    }

    /** @return A as (n·D)×d floats, row-major: for rebuilding the prompt outside Java (the peer benchmark) */
    public float[] projection() {
        double[][] m = a != null ? a : matrix();
        float[] out = new float[m.length * d];
        for (int r = 0; r < m.length; r++) {
            for (int j = 0; j < d; j++) {
                out[r * d + j] = (float) m[r][j];
            }
        }
        return out;
    }

    private synchronized double[][] matrix() {
        if (a == null) {
            SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "subspace-A"));
            double[][] m = new double[p0.length][d];
            for (int i = 0; i < p0.length; i++) {
                for (int j = 0; j < d; j++) {
                    m[i][j] = scale * r.nextGaussian();
                }
            }
            a = m;
        }
        return a;
    }
}
