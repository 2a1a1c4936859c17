package dev.vlmadapt.runtime.prompt;

/** CoOp's prompt: the context vectors themselves are the parameters (n·D of them), starting at p0. */
public final class FreeContext implements Parameterization {
    private static final long serialVersionUID = 1L;

    private final float[] p0;

    /** @param p0 the initial context, n·D floats */
    public FreeContext(float[] p0) {
        this.p0 = p0.clone();
    }

    @Override
    public int dimension() {
        return p0.length;
    }

    @Override
    public double[] initial() {
        double[] w = new double[p0.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = p0[i];
        }
        return w;
    }

    @Override
    public float[] context(double[] w) {
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = (float) w[i];
        }
        return out;
    }
}
