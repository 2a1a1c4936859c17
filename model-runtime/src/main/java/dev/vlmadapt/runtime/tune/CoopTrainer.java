package dev.vlmadapt.runtime.tune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.clip.Scalars;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import dev.vlmadapt.runtime.random.Seeds;
import dev.vlmadapt.runtime.zeroshot.ZeroShotClassifier;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CoOp, the gradient reference: the context vectors are trained by back-propagating the cross-entropy through
 * the frozen text tower (DJL autograd) on minibatches of cached image features, with SGD (momentum, weight
 * decay), a constant warm-up epoch and a cosine schedule, as in CoOp's configuration. Not forward-only; its
 * cost is reported in full-split passes (each also a backward pass).
 */
public final class CoopTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(CoopTrainer.class);

    /**
     * @param learningRate peak learning rate (CoOp: 0.002)
     * @param momentum SGD momentum (0.9)
     * @param weightDecay L2 weight decay (5e-4)
     * @param batchSize images per step (32)
     * @param epochs epochs (200)
     * @param warmupLearningRate learning rate of the first, constant epoch (1e-5)
     * @param seed seed of the batch order
     */
    public record Settings(double learningRate, double momentum, double weightDecay, int batchSize, int epochs,
            double warmupLearningRate, long seed) {
    }

    /** Told after every epoch. */
    public interface Listener {
        /**
         * @param epoch epochs done
         * @param context the context after it (n·D)
         * @param meanLoss mean training loss over its batches
         * @param recomputedBatches batches so far whose loss or gradient was non-finite once and recomputed
         */
        void epoch(int epoch, float[] context, double meanLoss, int recomputedBatches);
    }

    private CoopTrainer() {
    }

    /**
     * @param model the CLIP (frozen)
     * @param prompts class prompts
     * @param features N cached training features
     * @param labels N labels
     * @param settings hyper-parameters
     * @param listener progress
     * @return the trained context (n·D)
     */
    public static float[] train(ClipModel model, ClassPrompts prompts, float[][] features, int[] labels,
            Settings settings, Listener listener) {
        int n = features.length;
        int p = features[0].length;
        int k = prompts.classes();
        float[] ctxInit = prompts.initialContext();
        double[] ctx = new double[ctxInit.length];
        double[] velocity = new double[ctx.length];
        for (int i = 0; i < ctx.length; i++) {
            ctx[i] = ctxInit[i];
        }
        int stepsPerEpoch = (n + settings.batchSize() - 1) / settings.batchSize();
        int totalSteps = stepsPerEpoch * (settings.epochs() - 1);
        int step = 0;
        int recomputed = 0;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            int[] order = permutation(n, new SplittableRandom(Seeds.derive(settings.seed(), "coop", epoch)));
            double lossSum = 0;
            for (int from = 0; from < n; from += settings.batchSize()) {
                int to = Math.min(n, from + settings.batchSize());
                double lr;
                if (epoch == 0) {
                    lr = settings.warmupLearningRate();
                } else {
                    lr = 0.5 * settings.learningRate() * (1 + Math.cos(Math.PI * step / (double) totalSteps));
                    step++;
                }
                float[] batchFeatures = new float[(to - from) * p];
                float[] oneHot = new float[(to - from) * k];
                for (int i = from; i < to; i++) {
                    System.arraycopy(features[order[i]], 0, batchFeatures, (i - from) * p, p);
                    oneHot[(i - from) * k + labels[order[i]]] = 1;
                }
                double[] grad = new double[ctx.length];
                double loss = lossAndGradient(model, prompts, ctx, batchFeatures, oneHot, to - from, grad);
                if (!finite(loss, grad)) {
                    // The loss is finite for finite inputs; a non-finite one has been seen once in a long JVM
                    // after many jobs and not reproduced since, so it is recomputed once, said, and fatal if it
                    // persists, rather than silently turning the context into NaN for good.
                    LOG.warn("CoOp epoch {}, batch at {}: non-finite loss or gradient (loss {}); recomputing", epoch + 1,
                            from, loss);
                    loss = lossAndGradient(model, prompts, ctx, batchFeatures, oneHot, to - from, grad);
                    if (!finite(loss, grad)) {
                        throw new IllegalStateException("CoOp epoch " + (epoch + 1) + ", batch at " + from
                                + ": the loss or its gradient is not finite (loss " + loss + ") twice in a row");
                    }
                    recomputed++;
                }
                lossSum += loss;
                for (int i = 0; i < ctx.length; i++) {
                    double g = grad[i] + settings.weightDecay() * ctx[i];
                    velocity[i] = settings.momentum() * velocity[i] + g;
                    ctx[i] -= lr * velocity[i];
                }
            }
            listener.epoch(epoch + 1, toFloat(ctx), lossSum / stepsPerEpoch, recomputed);
        }
        return toFloat(ctx);
    }

    static double lossAndGradient(ClipModel model, ClassPrompts prompts, double[] ctx, float[] features,
            float[] oneHot, int b, double[] grad) {
        int k = prompts.classes();
        try (NDManager m = model.weights().manager().newSubManager()) {
            NDArray c = m.create(toFloat(ctx), new Shape(1, prompts.contextTokens(), prompts.width()));
            c.setRequiresGradient(true);
            NDArray f = ZeroShotClassifier.normalize(m.create(features, new Shape(b, features.length / b)));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray g = ZeroShotClassifier.normalize(model.textTower().encodeWithContext(prompts.tokens(),
                        ClassPrompts.START, c)).reshape(k, -1);                                  // (K, P)
                NDArray logits = f.matMul(g.transpose()).mul(model.logitScale());                // (B, K)
                NDArray loss = crossEntropy(logits, m.create(oneHot, new Shape(b, k)));
                gc.backward(loss);
                float[] gradient = c.getGradient().toFloatArray();
                for (int i = 0; i < grad.length; i++) {
                    grad[i] = gradient[i];
                }
                return loss.getFloat();
            }
        }
    }

    /**
     * @param logits {@code (B, K)}
     * @param oneHot {@code (B, K)} the labels
     * @return {@code ()} the mean cross-entropy
     */
    public static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        long b = logits.getShape().get(0);
        return Scalars.div(logits.logSoftmax(1).mul(oneHot).sum(), -b);
    }

    private static boolean finite(double loss, double[] grad) {
        if (!Double.isFinite(loss)) {
            return false;
        }
        for (double g : grad) {
            if (!Double.isFinite(g)) {
                return false;
            }
        }
        return true;
    }

    private static int[] permutation(int n, SplittableRandom r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
