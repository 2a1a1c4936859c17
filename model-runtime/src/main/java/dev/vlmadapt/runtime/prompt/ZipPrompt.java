package dev.vlmadapt.runtime.prompt;

/**
 * ZIP's prompt: a low-rank matrix plus a shared vector, {@code R = U·diag(s)·Vᵀ + 1·v_sharedᵀ ∈ R^{n×q}},
 * whose rows are lifted to token offsets by a fixed {@link Fastfood} projection q → D:
 * {@code ctx_i = p0_i + F(R_i)}. Parameters (U, s, V, v_shared) start at U = 0, s = 1, V ~ N(0, 1) (seeded),
 * v_shared = 0, so the first context is p0. ZIP uses 8 context tokens; here the context is the span of the
 * initial text, like the other methods, so that all methods share the class prompts.
 */
public final class ZipPrompt implements Parameterization {
    private static final long serialVersionUID = 1L;

    private final float[] p0;
    private final int tokens;
    private final int width;
    private final int q;
    private final int rank;
    private final long seed;
    private transient volatile Fastfood fastfood;

    /**
     * @param p0 initial context (n·D floats)
     * @param tokens n
     * @param width D
     * @param q row width before the projection (62 in ZIP)
     * @param rank rank of U·diag(s)·Vᵀ (5 in ZIP)
     * @param seed seed of V's initialisation and of the projection
     */
    public ZipPrompt(float[] p0, int tokens, int width, int q, int rank, long seed) {
        if (p0.length != tokens * width) {
            throw new IllegalArgumentException("p0 has " + p0.length + " values, expected " + tokens + "×" + width);
        }
        this.p0 = p0.clone();
        this.tokens = tokens;
        this.width = width;
        this.q = q;
        this.rank = rank;
        this.seed = seed;
    }

    @Override
    public int dimension() {
        return tokens * rank + rank + q * rank + q;
    }

    @Override
    public double[] initial() {
        double[] w = new double[dimension()];
        int s = tokens * rank;
        for (int r = 0; r < rank; r++) {
            w[s + r] = 1;
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(
                dev.vlmadapt.runtime.random.Seeds.derive(seed, "zip-V"));
        for (int i = 0; i < q * rank; i++) {
            w[s + rank + i] = random.nextGaussian();
        }
        return w;
    }

    @Override
    public float[] context(double[] w) {
        if (w.length != dimension()) {
            throw new IllegalArgumentException("expected " + dimension() + " parameters, got " + w.length);
        }
        Fastfood f = fastfood;
        if (f == null) {
            f = new Fastfood(q, width, seed);   // deterministic: a race only builds it twice
            fastfood = f;
        }
        int uOff = 0;
        int sOff = tokens * rank;
        int vOff = sOff + rank;
        int shared = vOff + q * rank;
        float[] out = new float[tokens * width];
        double[] row = new double[q];
        for (int i = 0; i < tokens; i++) {
            for (int j = 0; j < q; j++) {
                double v = w[shared + j];
                for (int r = 0; r < rank; r++) {
                    v += w[uOff + i * rank + r] * w[sOff + r] * w[vOff + j * rank + r];
                }
                row[j] = v;
            }
            double[] lifted = f.apply(row);
            for (int c = 0; c < width; c++) {
                out[i * width + c] = (float) (p0[i * width + c] + lifted[c]);
            }
        }
        return out;
    }
}
