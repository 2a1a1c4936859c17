package dev.vlmadapt.runtime.prompt;

import dev.vlmadapt.runtime.random.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * BlackVIP's input-dependent visual prompt (Oh et al., CVPR'23) on a model's normalised pixels. BlackVIP's
 * coordinator encodes the image with a frozen MAE encoder, appends a learnable trigger vector and decodes a
 * full-size prompt; no MAE is available here, so the coordinator's encoder is the frozen image tower of the
 * model being tuned (its cached features of the clean images), followed by a fixed random bottleneck.
 *
 * <p>For an image x with feature f: {@code code = R·f/|f|} ({@code R ∈ R^{e×P}}, entries N(0, 1), fixed),
 * {@code z = [code; t]}, {@code prompt = up(tanh(W·z + b))} where {@code W·z + b} is a 3×g×g grid and
 * {@code up} is bilinear upsampling to 3×S×S (half-pixel centres, as torch's {@code interpolate} with
 * {@code align_corners=False}), and the prompted image is {@code clamp(x + ε·prompt)} to the range a real
 * image has after normalisation ({@code [(0 − mean)/std, (1 − mean)/std]} per channel). The learnable
 * parameters are the trigger t and the decoder (W, b): {@code w = [t (e_t) | W (3g² × (e + e_t)), row-major |
 * b (3g²)]}. BlackVIP's decoder is five upsampling blocks (about 9.9K parameters); here it is one linear layer
 * onto a coarse grid, which is what images of a few dozen pixels need.
 *
 * <p>W and b start at 0, so the first prompt is 0 and the search starts at the zero-shot classifier, as the
 * text methods do (BlackVIP starts from a randomly initialised decoder); t starts at N(0, 1) draws so that
 * the trigger's part of W is not stuck at a zero gradient once W moves.
 */
public final class VisualPrompt implements PromptSpace {
    private static final long serialVersionUID = 1L;

    /** Image channels. */
    public static final int CHANNELS = 3;

    /**
     * @param codeDim e, the bottleneck of the frozen encoder's feature
     * @param triggerDim e_t, the learnable trigger's size
     * @param grid g, the decoder's grid side (upsampled to the image size)
     * @param epsilon ε, the prompt's scale in normalised pixel units
     */
    public record Settings(int codeDim, int triggerDim, int grid, double epsilon) implements java.io.Serializable {
        /** Parameters at most: w and the candidates of a query group must fit Java arrays. */
        public static final long MAX_DIMENSION = 1L << 24;

        public Settings {
            if (codeDim < 1 || triggerDim < 0 || grid < 1 || !(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new IllegalArgumentException("visual prompt needs code-dim >= 1, trigger-dim >= 0, grid >= 1 "
                        + "and a finite epsilon > 0, got code-dim " + codeDim + ", trigger-dim " + triggerDim
                        + ", grid " + grid + ", epsilon " + epsilon);
            }
            long outputs = (long) CHANNELS * grid * grid;
            long d = triggerDim + outputs * ((long) codeDim + triggerDim) + outputs;
            if (d > MAX_DIMENSION) {
                throw new IllegalArgumentException("visual prompt with code-dim " + codeDim + ", trigger-dim "
                        + triggerDim + " and grid " + grid + " has " + d + " parameters, more than " + MAX_DIMENSION);
            }
        }
    }

    private final Settings s;
    private final int featureDim;
    private final int imageSize;
    private final float[] low;
    private final float[] high;
    private final long seed;

    /**
     * @param settings sizes and scale
     * @param featureDim P, the model's projection dimension
     * @param imageSize S, the model's input side
     * @param mean the model's per-channel normalisation mean
     * @param std the model's per-channel normalisation standard deviation
     * @param seed seed of R and of the initial trigger
     */
    public VisualPrompt(Settings settings, int featureDim, int imageSize, float[] mean, float[] std, long seed) {
        if (settings.grid() > imageSize) {
            throw new IllegalArgumentException("visual prompt grid " + settings.grid() + " is larger than the image ("
                    + imageSize + " px)");
        }
        this.s = settings;
        this.featureDim = featureDim;
        this.imageSize = imageSize;
        this.seed = seed;
        this.low = new float[CHANNELS];
        this.high = new float[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            low[c] = (0 - mean[c]) / std[c];
            high[c] = (1 - mean[c]) / std[c];
        }
    }

    /** @return the sizes and scale */
    public Settings settings() {
        return s;
    }

    /** @return 3g², the decoder's outputs */
    public int outputs() {
        return CHANNELS * s.grid() * s.grid();
    }

    /** @return e + e_t, the decoder's inputs */
    public int inputs() {
        return s.codeDim() + s.triggerDim();
    }

    /** @return S */
    public int imageSize() {
        return imageSize;
    }

    /** @return P */
    public int featureDim() {
        return featureDim;
    }

    @Override
    public int dimension() {
        return s.triggerDim() + outputs() * inputs() + outputs();
    }

    @Override
    public double[] initial() {
        double[] w = new double[dimension()];
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "blackvip-trigger"));
        for (int i = 0; i < s.triggerDim(); i++) {
            w[i] = r.nextGaussian();
        }
        return w;
    }

    /** @return R, {@code (e, P)} row-major, entries N(0, 1) */
    public float[] projection() {
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "blackvip-R"));
        float[] out = new float[s.codeDim() * featureDim];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }

    /**
     * The bilinear upsampling matrix U with {@code up(G) = U·G·Uᵀ} per channel: output pixel i samples the grid
     * at {@code (i + ½)·g/S − ½}, clamped below at 0, between the two neighbouring cells.
     *
     * @return U, {@code (S, g)} row-major
     */
    public float[] upsampling() {
        int g = s.grid();
        float[] u = new float[imageSize * g];
        double scale = (double) g / imageSize;
        for (int i = 0; i < imageSize; i++) {
            double src = Math.max(0, scale * (i + 0.5) - 0.5);
            int i0 = (int) src;
            int i1 = Math.min(i0 + 1, g - 1);
            double frac = src - i0;
            u[i * g + i0] += (float) (1 - frac);
            u[i * g + i1] += (float) frac;
        }
        return u;
    }

    /** @return per-channel lower pixel bound of a normalised image */
    public float[] low() {
        return low.clone();
    }

    /** @return per-channel upper pixel bound of a normalised image */
    public float[] high() {
        return high.clone();
    }

    /**
     * @param w d parameters
     * @return the named parts of w and the fixed R, each with its shape, for writing next to a run's results
     */
    public Map<String, Part> parts(double[] w) {
        if (w.length != dimension()) {
            throw new IllegalArgumentException("expected " + dimension() + " parameters, got " + w.length);
        }
        int t = s.triggerDim();
        int wSize = outputs() * inputs();
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put("trigger", new Part(slice(w, 0, t), new long[] {t}));
        parts.put("decoder.weight", new Part(slice(w, t, wSize), new long[] {outputs(), inputs()}));
        parts.put("decoder.bias", new Part(slice(w, t + wSize, outputs()), new long[] {outputs()}));
        parts.put("projection", new Part(projection(), new long[] {s.codeDim(), featureDim}));
        return parts;
    }

    /**
     * @param values row-major values
     * @param shape their shape
     */
    public record Part(float[] values, long[] shape) {
    }

    private static float[] slice(double[] w, int from, int length) {
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) w[from + i];
        }
        return out;
    }
}
