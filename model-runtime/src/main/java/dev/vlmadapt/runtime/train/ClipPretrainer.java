package dev.vlmadapt.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipTensors;
import dev.vlmadapt.runtime.clip.ClipWeights;
import dev.vlmadapt.runtime.clip.TextTower;
import dev.vlmadapt.runtime.clip.VisionTower;
import dev.vlmadapt.runtime.image.ClipPreprocessor;
import dev.vlmadapt.runtime.image.RasterImage;
import dev.vlmadapt.runtime.text.ClipTokenizer;
import dev.vlmadapt.runtime.text.TokenBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a CLIP from scratch with the contrastive loss and AdamW (DJL autograd), on captions made from class
 * names and templates. Seeded: initialisation, shuffling and caption choice all derive from the spec's seed.
 */
public final class ClipPretrainer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClipPretrainer.class);

    /** Receives progress while training runs. */
    public interface Progress {
        /**
         * @param epoch 1-based epoch just finished
         * @param step global steps done
         * @param totalSteps steps of the whole run
         * @param meanLoss mean loss over the epoch's steps
         * @param imagesPerSecond training throughput over the epoch
         */
        void epochDone(int epoch, int step, int totalSteps, double meanLoss, double imagesPerSecond);

        /**
         * Called after every step, so that long epochs can report progress within them.
         *
         * @param epoch 1-based epoch running
         * @param step global steps done
         * @param totalSteps steps of the whole run
         * @param loss the mean loss of the epoch's steps so far
         */
        default void stepDone(int epoch, int step, int totalSteps, double loss) {
        }
    }

    private final ClipConfig config;
    private final ClipTokenizer tokenizer;
    private final PretrainSpec spec;
    /** Recomputations of a step before a non-finite loss or gradient counts as divergence. */
    static final int RECOMPUTE_ATTEMPTS = 3;

    private int recomputedSteps;
    private int faultAtStep;

    /**
     * @param config architecture of the model to train
     * @param tokenizer tokenizer of the model's vocabulary
     * @param spec hyper-parameters
     */
    public ClipPretrainer(ClipConfig config, ClipTokenizer tokenizer, PretrainSpec spec) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.spec = spec;
    }

    /**
     * Runs the whole training.
     *
     * @param data datasets to train on together
     * @param manager becomes the owner of the returned weights
     * @param progress called after every epoch
     * @return the trained weights
     */
    public ClipWeights train(List<CaptionedImages> data, NDManager manager, Progress progress) {
        Captions captions = Captions.of(data, tokenizer);
        int n = captions.imageCount();
        int steps = n / spec.batchSize();
        if (steps == 0) {
            throw new IllegalArgumentException(n + " images are fewer than one batch of " + spec.batchSize());
        }
        int totalSteps = steps * spec.epochs();
        ClipWeights weights = ClipInitializer.initialize(config, spec.seed(), manager);
        weights.asMap().values().forEach(w -> w.setRequiresGradient(true));
        Towers towers = new Towers(weights, new TextTower(config, weights), new VisionTower(config, weights),
                ClipPreprocessor.forModel(config), weights.get(ClipTensors.LOGIT_SCALE), captions);
        Optimizer decayed = adamW(totalSteps, spec.weightDecay());
        Optimizer plain = adamW(totalSteps, 0f);

        int step = 0;
        recomputedSteps = 0;
        for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
            SplittableRandom rng = new SplittableRandom(spec.seed() * 1_000_003L + epoch);
            int[] order = permutation(n, rng);
            long start = System.nanoTime();
            double lossSum = 0;
            for (int s = 0; s < steps; s++, step++) {
                int[] batch = java.util.Arrays.copyOfRange(order, s * spec.batchSize(), (s + 1) * spec.batchSize());
                // Drawn before the step, so that a recomputed step sees exactly the same captions.
                int[] caption = new int[batch.length];
                for (int i = 0; i < batch.length; i++) {
                    caption[i] = captions.sampleCaption(batch[i], rng);
                }
                // Likewise each image's augmentation (drawn only when augmenting: runs without are unchanged).
                long[] augment = spec.augmentation() == null ? null : new long[batch.length];
                for (int i = 0; augment != null && i < batch.length; i++) {
                    augment[i] = rng.nextLong();
                }
                try (NDManager m = manager.newSubManager()) {
                    Computed c = guardedStep(step + 1, epoch, new Batch(batch, caption, augment), towers, m);
                    lossSum += c.loss();
                    update(weights, c, decayed, plain);
                }
                progress.stepDone(epoch, step + 1, totalSteps, lossSum / (s + 1));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.epochDone(epoch, step, totalSteps, lossSum / steps, steps * spec.batchSize() / seconds);
        }
        weights.asMap().values().forEach(w -> w.setRequiresGradient(false));
        return weights;
    }

    /** What a step computes with: the weights being trained, their towers, and the captioned images. */
    private record Towers(ClipWeights weights, TextTower text, VisionTower vision, ClipPreprocessor preprocess,
            NDArray logScale, Captions captions) {
    }

    /**
     * A step's input: image indices, the caption chosen for each, and each image's augmentation seed (null when
     * not augmenting).
     */
    private record Batch(int[] images, int[] captions, long[] augment) {
    }

    /** A step's loss, the gradients (owned by the step's manager) and their global norm. */
    private record Computed(float loss, Map<String, NDArray> grads, double norm) {
        boolean finite() {
            return Float.isFinite(loss) && Double.isFinite(norm);
        }
    }

    /**
     * A step's loss and gradients. Finite weights and inputs give finite values, so a non-finite loss or gradient
     * is recomputed, to tell a transient fault from a diverged model, at most {@link #RECOMPUTE_ATTEMPTS} times.
     *
     * @param step 1-based global step
     * @param epoch 1-based epoch
     * @throws NonFiniteTrainingException if the values stay non-finite (nothing is written then)
     */
    private Computed guardedStep(int step, int epoch, Batch batch, Towers t, NDManager m) {
        Computed c = compute(batch, t, m);
        if (step == faultAtStep) {
            c.grads().get(ClipTensors.PATCH_EMBEDDING).muli(Float.NaN);
            c = new Computed(c.loss(), c.grads(), Math.sqrt(squaredNorm(c.grads().values())));
        }
        for (int attempt = 1; !c.finite(); attempt++) {
            if (attempt > RECOMPUTE_ATTEMPTS) {
                throw new NonFiniteTrainingException(step, epoch, c.loss(), RECOMPUTE_ATTEMPTS,
                        diagnose(t.weights(), c.grads()));
            }
            LOG.warn("pretraining step {} (epoch {}): loss {}, gradient norm {}; recomputing the step (attempt {} of"
                    + " {})", step, epoch, c.loss(), c.norm(), attempt, RECOMPUTE_ATTEMPTS);
            t.weights().asMap().values().forEach(ClipPretrainer::zeroGradient);
            c = compute(batch, t, m);
            if (c.finite()) {
                recomputedSteps++;
            }
        }
        return c;
    }

    private Computed compute(Batch batch, Towers t, NDManager m) {
        float loss = step(batch, t, m);
        Map<String, NDArray> grads = gradients(t.weights(), m);
        return new Computed(loss, grads, Math.sqrt(squaredNorm(grads.values())));
    }

    /** AdamW on every weight, after clipping the global gradient norm; then clears the gradients. */
    private void update(ClipWeights weights, Computed c, Optimizer decayed, Optimizer plain) {
        // Clipping the global gradient norm bounds a step when the loss landscape turns sharp.
        float clip = spec.gradClipNorm() > 0 && c.norm() > spec.gradClipNorm()
                ? (float) (spec.gradClipNorm() / c.norm()) : 1f;
        for (Map.Entry<String, NDArray> e : weights.asMap().entrySet()) {
            NDArray g = c.grads().get(e.getKey());
            if (clip < 1f) {
                g.muli(clip);
            }
            (decays(e.getKey()) ? decayed : plain).update(e.getKey(), e.getValue(), g);
            zeroGradient(e.getValue()); // PyTorch accumulates gradients; clear them for the next step
        }
    }

    /**
     * Tests only: the first computation of this 1-based step gets a NaN gradient, as a transient fault would.
     *
     * @param step the step to poison
     */
    void injectFaultAt(int step) {
        faultAtStep = step;
    }

    /** @return how many steps of the last {@link #train} were recomputed after a non-finite loss or gradient */
    public int recomputedSteps() {
        return recomputedSteps;
    }

    /** Thrown when a step's loss or gradient stays non-finite when recomputed: the model has diverged. */
    public static final class NonFiniteTrainingException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        NonFiniteTrainingException(int step, int epoch, float loss, int recomputed, String diagnosis) {
            super("pretraining diverged at step " + step + " (epoch " + epoch + "): loss " + loss + ", non-finite"
                    + " again in " + recomputed + " recomputations; " + diagnosis + ". Nothing was written; try a lower"
                    + " learning-rate or a grad-clip-norm.");
        }
    }

    /**
     * Sets a weight's gradient buffer to exact zeros. Subtracting the gradient from itself, as this class once did,
     * leaves NaN − NaN = NaN: one non-finite gradient then poisoned every later step, recomputed ones included.
     */
    private static void zeroGradient(NDArray weight) {
        ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) weight);
    }

    /** @return handles on the weights' gradients, owned by {@code m} (so is everything computed from them) */
    private static Map<String, NDArray> gradients(ClipWeights weights, NDManager m) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        weights.asMap().forEach((name, w) -> {
            NDArray g = w.getGradient();
            g.attach(m);
            grads.put(name, g);
        });
        return grads;
    }

    /** One sum of squares over all gradients, read back once per step. */
    private static double squaredNorm(java.util.Collection<NDArray> grads) {
        NDArray total = null;
        for (NDArray g : grads) {
            NDArray s = g.square().sum();
            total = total == null ? s : total.add(s);
        }
        return total == null ? 0 : total.getFloat();
    }

    /** Which tensors hold non-finite gradients or weights, the largest weight and the temperature. */
    private static String diagnose(ClipWeights weights, Map<String, NDArray> grads) {
        List<String> badGrads = new ArrayList<>();
        List<String> badWeights = new ArrayList<>();
        String largest = "";
        float largestAbs = -1;
        for (Map.Entry<String, NDArray> e : weights.asMap().entrySet()) {
            NDArray w = e.getValue();
            if (!finite(grads.get(e.getKey()))) {
                badGrads.add(e.getKey());
            }
            if (!finite(w)) {
                badWeights.add(e.getKey());
            } else {
                float max = w.abs().max().getFloat();
                if (max > largestAbs) {
                    largestAbs = max;
                    largest = e.getKey();
                }
            }
        }
        return "non-finite gradients in " + badGrads.size() + " tensors " + head(badGrads) + ", non-finite weights in "
                + badWeights.size() + " " + head(badWeights) + ", largest finite |weight| " + largestAbs + " in "
                + largest + ", logit scale " + Math.exp(weights.get(ClipTensors.LOGIT_SCALE).getFloat());
    }

    private static boolean finite(NDArray a) {
        return !a.isNaN().logicalOr(a.isInfinite()).any().getBoolean();
    }

    private static List<String> head(List<String> names) {
        return names.size() <= 5 ? names : names.subList(0, 5);
    }

    private float step(Batch input, Towers t, NDManager m) {
        Captions captions = t.captions();
        int[] batch = input.images();
        int[] caption = input.captions();
        int b = batch.length;
        List<RasterImage> images = new ArrayList<>(b);
        int[] classOf = new int[b];
        Map<Integer, Integer> uniqueRow = new LinkedHashMap<>();
        int[] captionRow = new int[b];
        for (int i = 0; i < b; i++) {
            RasterImage image = captions.image(batch[i]);
            images.add(input.augment() == null ? image
                    : spec.augmentation().apply(image, new SplittableRandom(input.augment()[i])));
            classOf[i] = captions.globalClass(batch[i]);
            captionRow[i] = uniqueRow.computeIfAbsent(caption[i], k -> uniqueRow.size());
        }
        TokenBatch tokens = captions.tokens().select(uniqueRow.keySet().stream().mapToInt(Integer::intValue).toArray());
        NDArray pixels = m.create(t.preprocess().applyBatch(images),
                new Shape(b, 3, config.imageSize(), config.imageSize()));           // (B, 3, S, S)
        // Per-thread recording (ThreadGradients), so that trainings in parallel Spark tasks do not collide.
        try (ThreadGradients gc = new ThreadGradients()) {
            NDArray imageFeatures = t.vision().encode(pixels);                       // (B, P)
            NDArray uniqueText = t.text().encode(tokens, m);                          // (U, P)
            // A one-hot GEMM rather than an index: its backward is deterministic (see TextTower.embedTokens).
            NDArray textFeatures = m.create(captionRow).oneHot(tokens.size()).matMul(uniqueText); // (B, P)
            NDArray loss = ContrastiveLoss.compute(imageFeatures, textFeatures, captions.positives(classOf, caption),
                    t.logScale());
            gc.backward(loss);
            return loss.getFloat();
        }
    }

    /**
     * Weight decay applies to the linear and convolution weights and the projections, as in OpenCLIP; not to
     * LayerNorm gains, biases, embeddings or the temperature.
     */
    static boolean decays(String name) {
        boolean layerNorm = name.endsWith("ln1.weight") || name.endsWith("ln2.weight") || name.endsWith("_ln.weight");
        return name.endsWith(".weight") && !layerNorm || name.equals(ClipTensors.TEXT_PROJECTION)
                || name.equals(ClipTensors.VISION_PROJECTION) || name.equals(ClipTensors.PATCH_EMBEDDING);
    }

    private Optimizer adamW(int totalSteps, float weightDecay) {
        float peak = spec.learningRate();
        int warmup = Math.min(spec.warmupSteps(), totalSteps);
        // DJL counts updates from 1; linear warm-up, then cosine decay to zero.
        ParameterTracker schedule = (id, update) -> {
            if (update <= warmup) {
                return peak * update / Math.max(1, warmup);
            }
            double progress = (update - warmup) / (double) Math.max(1, totalSteps - warmup);
            return (float) (0.5 * peak * (1 + Math.cos(Math.PI * Math.min(1.0, progress))));
        };
        return AdamW.builder().optLearningRateTracker(schedule).optBeta1(0.9f).optBeta2(0.98f).optEpsilon(1e-6f)
                .optWeightDecays(weightDecay).build();
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** All datasets flattened: image i's dataset, label, and the tokenized captions it can get. */
    private record Captions(List<CaptionedImages> data, int[] datasetOf, int[] indexIn, int[] classOffset,
            int[] classStart, int[] classCount, int[] textOf, TokenBatch tokens) {

        static Captions of(List<CaptionedImages> data, ClipTokenizer tokenizer) {
            int n = data.stream().mapToInt(d -> d.images().size()).sum();
            int[] datasetOf = new int[n];
            int[] indexIn = new int[n];
            int[] classOffset = new int[data.size()];
            int totalClasses = data.stream().mapToInt(d -> d.classNames().size()).sum();
            int[] classStart = new int[totalClasses];                 // each class's first caption
            int[] classCount = new int[totalClasses];                 // and how many it has
            List<String> texts = new ArrayList<>();
            int i = 0;
            int classes = 0;
            for (int d = 0; d < data.size(); d++) {
                CaptionedImages ds = data.get(d);
                classOffset[d] = classes;
                int start = texts.size();
                for (int c = 0; c < ds.classNames().size(); c++) {
                    classStart[classes + c] = start;
                    classCount[classes + c] = ds.captionCount(c);
                    start += ds.captionCount(c);
                }
                classes += ds.classNames().size();
                texts.addAll(ds.captions());
                for (int k = 0; k < ds.images().size(); k++, i++) {
                    datasetOf[i] = d;
                    indexIn[i] = k;
                }
            }
            // Equal texts get one id, so that a caption two classes share (e.g. "an emoji of a mammal") is known
            // to describe the images of both.
            Map<String, Integer> ids = new java.util.HashMap<>();
            int[] textOf = new int[texts.size()];
            for (int k = 0; k < texts.size(); k++) {
                textOf[k] = ids.computeIfAbsent(texts.get(k), x -> ids.size());
            }
            return new Captions(data, datasetOf, indexIn, classOffset, classStart, classCount, textOf,
                    tokenizer.encode(texts));
        }

        /**
         * @param classOf each pair's class
         * @param caption each pair's caption index
         * @return {@code (B, B)} row-major: caption j is one of image i's class's captions (always so for the same
         *     class; across classes only where they share a text)
         */
        boolean[] positives(int[] classOf, int[] caption) {
            int b = classOf.length;
            boolean[] p = new boolean[b * b];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    p[i * b + j] = classOf[i] == classOf[j] || describes(classOf[i], textOf[caption[j]]);
                }
            }
            return p;
        }

        private boolean describes(int globalClass, int text) {
            for (int k = classStart[globalClass]; k < classStart[globalClass] + classCount[globalClass]; k++) {
                if (textOf[k] == text) {
                    return true;
                }
            }
            return false;
        }

        int imageCount() {
            return datasetOf.length;
        }

        RasterImage image(int i) {
            return data.get(datasetOf[i]).images().images().get(indexIn[i]);
        }

        int label(int i) {
            return data.get(datasetOf[i]).images().labels()[indexIn[i]];
        }

        int globalClass(int i) {
            return classOffset[datasetOf[i]] + label(i);
        }

        int sampleCaption(int i, SplittableRandom rng) {
            int c = globalClass(i);
            return classStart[c] + rng.nextInt(classCount[c]);
        }
    }
}
