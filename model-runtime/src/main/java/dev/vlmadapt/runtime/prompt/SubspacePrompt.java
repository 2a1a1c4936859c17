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

    private final float[] p0;
    private final int d;
    private final double scale;
    private final long seed;
    private transient volatile double[][] a;   // (n·D, d), built on first use

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
        if (w.length != d) {
            throw new IllegalArgumentException("expected " + d + " parameters, got " + w.length);
        }
        double[][] m = a != null ? a : matrix();
        float[] out = new float[p0.length];
        for (int r = 0; r < p0.length; r++) {
            double s = 0;
            double[] row = m[r];
            for (int j = 0; j < d; j++) {
                s += row[j] * w[j];
            }
            out[r] = (float) (p0[r] + s);
        }
        return out;
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
