package dev.vlmadapt.runtime.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import dev.vlmadapt.runtime.prompt.VisualPrompt;
import dev.vlmadapt.runtime.zeroshot.TopKAccuracy;
import dev.vlmadapt.runtime.zeroshot.ZeroShotClassifier;

/**
 * BlackVIP's objective: each candidate's visual prompt is added to every image, the prompted images go through
 * the image tower, and the loss is the cross-entropy of {@code logitScale · cos(image, class)} against the
 * zero-shot class features of the initial context ("a photo of a {class}"). Unlike the text methods, every
 * query runs the image tower over the whole set: this is the cost the paper reports for BlackVIP.
 * Images go through in chunks whose size depends only on the number of candidates evaluated together and the
 * image size (see {@link #imagesPerCandidate}), so that a candidate's loss depends only on its query group.
 */
public final class VisualPromptObjective implements PointObjective {
    /** Images per candidate in one image-tower pass, at most. */
    public static final int CHUNK = 256;
    /** Pixel values in one image-tower pass, at most (32 MiB of input: 3,566 images of 28 px, 55 of 224 px). */
    public static final long MAX_PASS_VALUES = 1L << 23;

    private final ClipModel model;
    private final VisualPrompt prompt;
    private final NDManager manager;
    private final NDArray classesT;   // (P, K) unit-norm class features, transposed
    private final NDArray pixels;     // (N, 3, S, S)
    private final NDArray codes;      // (N, e) frozen-encoder codes R·f/|f|
    private final NDArray oneHot;     // (N, K)
    private final int n;

    /**
     * @param model the CLIP
     * @param prompts its class prompts (their initial context makes the zero-shot class features)
     * @param prompt the visual prompt's description
     * @param data N images: features (the coordinator's frozen encoding), labels and pixels
     */
    public VisualPromptObjective(ClipModel model, ClassPrompts prompts, VisualPrompt prompt, FewShotSet data) {
        int p = model.config().projectionDim();
        int s = model.config().imageSize();
        int k = prompts.classes();
        n = data.size();
        if (n == 0 || data.pixels() == null) {
            throw new IllegalArgumentException("the visual prompt objective needs at least one image with its "
                    + "pixels, got " + n + (data.pixels() == null ? " without pixels" : ""));
        }
        if (p != prompt.featureDim() || s != prompt.imageSize()) {
            throw new IllegalArgumentException("visual prompt built for P=" + prompt.featureDim() + ", S="
                    + prompt.imageSize() + ", the model has P=" + p + ", S=" + s);
        }
        int perImage = VisualPrompt.CHANNELS * s * s;
        if (data.pixels().length != (long) n * perImage) {
            throw new IllegalArgumentException("expected " + n + " images of 3×" + s + "×" + s + " pixels, got "
                    + data.pixels().length + " values");
        }
        LabelledFeatures labelled = new LabelledFeatures(data.features(), data.labels(), p, k);
        this.model = model;
        this.prompt = prompt;
        this.manager = model.weights().manager().newSubManager();
        try {
            this.classesT = classFeatures(model, prompts, manager);                                // (P, K)
            this.codes = codes(labelled.features, n, p, prompt, manager);                          // (N, e)
            this.pixels = manager.create(data.pixels(), new Shape(n, VisualPrompt.CHANNELS, s, s));
            this.oneHot = manager.create(labelled.oneHot, new Shape(n, k));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** @return the zero-shot class features of the initial context, unit norm and transposed: (P, K) */
    private static NDArray classFeatures(ClipModel model, ClassPrompts prompts, NDManager out) {
        int k = prompts.classes();
        int p = model.config().projectionDim();
        try (NDManager m = out.newSubManager()) {
            NDArray ctx = m.create(prompts.initialContext(), new Shape(1, prompts.contextTokens(), prompts.width()));
            NDArray g = model.encodeWithContext(prompts.tokens(), ClassPrompts.START, ctx, m);  // (1, K, P)
            NDArray classes = ZeroShotClassifier.normalize(g.reshape(k, p)).transpose();          // (P, K)
            classes.attach(out);
            return classes;
        }
    }

    /** @return the frozen encoder's codes R·f/|f| of N features (row-major (N, P)): (N, e) */
    private static NDArray codes(float[] features, int n, int p, VisualPrompt prompt, NDManager out) {
        try (NDManager m = out.newSubManager()) {
            NDArray r = m.create(prompt.projection(), new Shape(prompt.settings().codeDim(), p)); // (e, P)
            NDArray codes = ZeroShotClassifier.normalize(m.create(features, new Shape(n, p)))
                    .matMul(r.transpose());                                                        // (N, e)
            codes.attach(out);
            return codes;
        }
    }

    /**
     * @param candidates C, the candidates evaluated together
     * @param imageSize S
     * @return images per candidate in one image-tower pass: at most {@link #CHUNK}, and at most
     *     {@link #MAX_PASS_VALUES} pixel values for all candidates together (at least one image)
     */
    static int imagesPerCandidate(int candidates, int imageSize) {
        long perImage = (long) VisualPrompt.CHANNELS * imageSize * imageSize;
        return (int) Math.max(1, Math.min(CHUNK, MAX_PASS_VALUES / (perImage * candidates)));
    }

    @Override
    public int size() {
        return n;
    }

    /**
     * The prompted images: {@code clamp(x + ε·up(tanh(W·[code; t] + b)))} for every candidate and image.
     *
     * @param pixels {@code (n, 3, S, S)} normalised images; results are created in its manager
     * @param codes {@code (n, e)} the images' frozen-encoder codes (moved into {@code pixels}' manager)
     * @param w {@code (C, d)} candidates, laid out as {@link VisualPrompt} describes (moved into
     *     {@code pixels}' manager, so closing that manager frees them too)
     * @param prompt the visual prompt's description
     * @return {@code (C, n, 3, S, S)}
     */
    public static NDArray prompted(NDArray pixels, NDArray codes, NDArray w, VisualPrompt prompt) {
        NDManager m = pixels.getManager();
        VisualPrompt.Settings s = prompt.settings();
        int c = (int) w.getShape().get(0);
        int nImages = (int) pixels.getShape().get(0);
        int e = s.codeDim();
        int t = s.triggerDim();
        int o = prompt.outputs();
        int in = prompt.inputs();
        int g = s.grid();
        int size = prompt.imageSize();
        NDArray wl = local(w, m);
        NDArray trigger = wl.get(new NDIndex(":, 0:{}", t)).expandDims(2);                       // (C, t, 1)
        NDArray weight = wl.get(new NDIndex(":, {}:{}", t, t + o * in)).reshape(c, o, in);       // (C, o, e+t)
        NDArray bias = wl.get(new NDIndex(":, {}:", t + o * in)).expandDims(1);                  // (C, 1, o)
        NDArray codeWeightT = weight.get(new NDIndex(":, :, 0:{}", e)).transpose(0, 2, 1);       // (C, e, o)
        NDArray triggerTerm = t == 0 ? bias
                : weight.get(new NDIndex(":, :, {}:", e)).matMul(trigger).transpose(0, 2, 1).add(bias); // (C, 1, o)
        NDArray h = local(codes, m).matMul(codeWeightT).add(triggerTerm).tanh();                // (C, n, o)
        NDArray upT = m.create(prompt.upsampling(), new Shape(size, g)).transpose();           // (g, S)
        NDArray grid = h.reshape(c * nImages, VisualPrompt.CHANNELS, g, g);                      // (C·n, 3, g, g)
        // U·G·Uᵀ as ((G·Uᵀ)ᵀ·Uᵀ)ᵀ, so that every product starts from an array of this scope.
        NDArray full = grid.matMul(upT).transpose(0, 1, 3, 2).matMul(upT).transpose(0, 1, 3, 2); // (C·n, 3, S, S)
        NDArray low = m.create(prompt.low(), new Shape(1, 1, VisualPrompt.CHANNELS, 1, 1));
        NDArray high = m.create(prompt.high(), new Shape(1, 1, VisualPrompt.CHANNELS, 1, 1));
        return full.reshape(c, nImages, VisualPrompt.CHANNELS, size, size).mul((float) s.epsilon())
                .add(pixels.expandDims(0)).maximum(low).minimum(high);                          // (C, n, 3, S, S)
    }

    @Override
    public FewShotObjective.Result[] evaluate(double[][] points) {
        int c = points.length;
        int d = prompt.dimension();
        float[] flat = new float[c * d];
        for (int i = 0; i < c; i++) {
            if (points[i].length != d) {
                throw new IllegalArgumentException("point " + i + " has " + points[i].length + " values, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = (float) points[i][j];
            }
        }
        int size = prompt.imageSize();
        int k = (int) oneHot.getShape().get(1);
        double[] lossSum = new double[c];
        double[] correct = new double[c];
        long[] bad = new long[c];
        int chunk = imagesPerCandidate(c, size);
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            int b = to - from;
            try (NDManager m = manager.newSubManager()) {
                NDIndex rows = new NDIndex("{}:{}", from, to);
                NDArray x = prompted(local(pixels.get(rows), m), local(codes.get(rows), m), m.create(flat,
                        new Shape(c, d)), prompt);                                                // (C, b, 3, S, S)
                NDArray f = ZeroShotClassifier.normalize(model.encodeImages(
                        x.reshape(c * b, VisualPrompt.CHANNELS, size, size), m));                 // (C·b, P)
                NDArray logits = f.matMul(classesT).mul(model.logitScale()).reshape(c, b, k);      // (C, b, K)
                float[] nll = logits.logSoftmax(2).mul(local(oneHot.get(rows), m)).sum(new int[] {1, 2})
                        .toFloatArray();                                                          // (C)
                long[] nonFinite = TopKAccuracy.nonFiniteCount(logits).toLongArray();              // (C)
                float[] hits = TopKAccuracy.top1Credit(logits, local(oneHot.get(rows), m))
                        .sum(new int[] {1}).toFloatArray();                                       // (C)
                for (int i = 0; i < c; i++) {
                    lossSum[i] -= nll[i];
                    correct[i] += hits[i];
                    bad[i] += nonFinite[i];
                }
            }
        }
        FewShotObjective.Result[] out = new FewShotObjective.Result[c];
        for (int i = 0; i < c; i++) {
            out[i] = new FewShotObjective.Result(lossSum[i] / n, bad[i] > 0 ? Double.NaN : correct[i] / n);
        }
        return out;
    }

    /** {@code a} moved into {@code m}'s scope, so that operations on it create their results there. */
    private static NDArray local(NDArray a, NDManager m) {
        if (a.getManager() != m) {
            a.attach(m);
        }
        return a;
    }

    @Override
    public void close() {
        manager.close();
    }
}
