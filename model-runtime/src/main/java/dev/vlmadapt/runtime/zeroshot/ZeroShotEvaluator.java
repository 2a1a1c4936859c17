package dev.vlmadapt.runtime.zeroshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.image.ClipPreprocessor;
import java.util.List;
import java.util.function.IntConsumer;

/** Zero-shot top-1/top-5 of a CLIP on labelled images, in batches. */
public final class ZeroShotEvaluator {

    /**
     * @param top1 fraction of images whose true class scores highest (ties shared, see {@link TopKAccuracy})
     * @param top5 fraction whose true class is among the 5 best (all, when there are at most 5 classes)
     * @param n images evaluated
     * @param meanPerClassRecall the mean over classes with images of their top-1 recall
     */
    public record Result(double top1, double top5, int n, double meanPerClassRecall) {
    }

    private ZeroShotEvaluator() {
    }

    /**
     * @param model the CLIP
     * @param data images and labels
     * @param classNames class names in label order
     * @param templates prompt templates
     * @param batchSize images per image-tower pass
     * @param progress told the number of images done after each batch
     * @return accuracies
     * @throws TopKAccuracy.NonFiniteScoresException if the model produced a NaN or infinite score
     */
    public static Result evaluate(ClipModel model, LabeledImages data, List<String> classNames,
            List<String> templates, int batchSize, IntConsumer progress) {
        ClipPreprocessor preprocess = ClipPreprocessor.forModel(model.config());
        int size = model.config().imageSize();
        Tally tally = new Tally(data.labels(), classNames.size());
        try (NDManager m = model.weights().manager().newSubManager()) {
            NDArray weights = ZeroShotClassifier.classWeights(model, classNames, templates, m);   // (K, P)
            for (int from = 0; from < data.size(); from += batchSize) {
                int to = Math.min(data.size(), from + batchSize);
                try (NDManager b = m.newSubManager()) {
                    NDArray pixels = b.create(preprocess.applyBatch(data.images().subList(from, to)),
                            new Shape(to - from, 3, size, size));                               // (B, 3, S, S)
                    tally.add(model.encodeImages(pixels, b), weights, model.logitScale(), from);  // (B, P)
                }
                progress.accept(to);
            }
        }
        return tally.result();
    }

    /**
     * Cosine similarity of every image to every class (its template-averaged text embedding): the raw material of
     * MLL's model labels and of an ensemble's probabilities.
     *
     * @param model the CLIP
     * @param images the images
     * @param classNames K class names
     * @param templates prompt templates
     * @param batchSize images per image-tower pass
     * @return {@code [images][K]} cosines
     * @throws TopKAccuracy.NonFiniteScoresException if the model produced a NaN or infinite similarity
     */
    public static float[][] cosines(ClipModel model, List<dev.vlmadapt.runtime.image.RasterImage> images,
            List<String> classNames, List<String> templates, int batchSize) {
        ClipPreprocessor preprocess = ClipPreprocessor.forModel(model.config());
        int size = model.config().imageSize();
        int k = classNames.size();
        float[][] out = new float[images.size()][];
        try (NDManager m = model.weights().manager().newSubManager()) {
            NDArray weights = ZeroShotClassifier.classWeights(model, classNames, templates, m);   // (K, P)
            for (int from = 0; from < images.size(); from += batchSize) {
                int to = Math.min(images.size(), from + batchSize);
                try (NDManager b = m.newSubManager()) {
                    NDArray pixels = b.create(preprocess.applyBatch(images.subList(from, to)),
                            new Shape(to - from, 3, size, size));                               // (B, 3, S, S)
                    NDArray cos = ZeroShotClassifier.logits(model.encodeImages(pixels, b), weights, 1f);  // (B, K)
                    float[] flat = cos.toFloatArray();
                    for (int i = from; i < to; i++) {
                        out[i] = java.util.Arrays.copyOfRange(flat, (i - from) * k, (i - from + 1) * k);
                        for (float v : out[i]) {
                            if (!Float.isFinite(v)) {
                                throw new TopKAccuracy.NonFiniteScoresException("image " + i + " has a non-finite "
                                        + "similarity to a class");
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * {@link #cosines} from image features computed before (the feature table's plain view): only the text tower
     * runs.
     *
     * @param model the CLIP whose image tower produced the features
     * @param features one projected image feature per image, (N, P)
     * @param classNames K class names
     * @param templates prompt templates
     * @return {@code [images][K]} cosines
     */
    public static float[][] cosinesOfFeatures(ClipModel model, float[][] features, List<String> classNames,
            List<String> templates) {
        int dim = model.config().projectionDim();
        int k = classNames.size();
        float[] flat = new float[features.length * dim];
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != dim) {
                throw new IllegalArgumentException("feature " + i + " has " + features[i].length
                        + " dimensions; the model projects to " + dim);
            }
            System.arraycopy(features[i], 0, flat, i * dim, dim);
        }
        float[][] out = new float[features.length][];
        try (NDManager m = model.weights().manager().newSubManager()) {
            NDArray weights = ZeroShotClassifier.classWeights(model, classNames, templates, m);   // (K, P)
            float[] cos = ZeroShotClassifier.logits(m.create(flat, new Shape(features.length, dim)), weights, 1f)
                    .toFloatArray();                                                            // (N, K)
            for (int i = 0; i < out.length; i++) {
                out[i] = java.util.Arrays.copyOfRange(cos, i * k, (i + 1) * k);
            }
        }
        return out;
    }

    /**
     * Zero-shot from image features computed before (the feature table's plain view): only the text tower runs.
     * Gives what {@link #evaluate(ClipModel, LabeledImages, List, List, int, IntConsumer)} gives on the images
     * the features came from.
     *
     * @param model the CLIP whose image tower produced the features
     * @param features one projected, unnormalised image feature per image, (N, P)
     * @param labels class per image
     * @param classNames class names in label order
     * @param templates prompt templates
     * @param batchSize features per scoring batch
     * @return accuracies
     * @throws IllegalArgumentException if a feature's length is not the model's projection dimension
     * @throws TopKAccuracy.NonFiniteScoresException if a score is NaN or infinite
     */
    public static Result evaluateFeatures(ClipModel model, float[][] features, int[] labels, List<String> classNames,
            List<String> templates, int batchSize) {
        int dim = model.config().projectionDim();
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " features but " + labels.length + " labels");
        }
        Tally tally = new Tally(labels, classNames.size());
        try (NDManager m = model.weights().manager().newSubManager()) {
            NDArray weights = ZeroShotClassifier.classWeights(model, classNames, templates, m);   // (K, P)
            for (int from = 0; from < features.length; from += batchSize) {
                int to = Math.min(features.length, from + batchSize);
                float[] flat = new float[(to - from) * dim];
                for (int i = from; i < to; i++) {
                    if (features[i].length != dim) {
                        throw new IllegalArgumentException("feature " + i + " has " + features[i].length
                                + " dimensions; the model projects to " + dim);
                    }
                    System.arraycopy(features[i], 0, flat, (i - from) * dim, dim);
                }
                try (NDManager b = m.newSubManager()) {
                    tally.add(b.create(flat, new Shape(to - from, dim)), weights, model.logitScale(), from);  // (B, P)
                }
            }
        }
        return tally.result();
    }

    /** Top-1 and top-5 credit summed over batches, and each image's top-1 credit for the per-class recall. */
    private static final class Tally {
        private final int[] labels;
        private final int classes;
        private final double[] credit1;
        private double correct1;
        private double correct5;

        Tally(int[] labels, int classes) {
            this.labels = labels;
            this.classes = classes;
            this.credit1 = new double[labels.length];
        }

        void add(NDArray features, NDArray weights, float logitScale, int from) {
            float[] logits = ZeroShotClassifier.logits(features, weights, logitScale).toFloatArray();   // (B, K)
            int to = from + (int) features.getShape().get(0);
            int[] batch = java.util.Arrays.copyOfRange(labels, from, to);
            try {
                double[] top1 = TopKAccuracy.credits(logits, classes, batch, 1);
                for (double c : top1) {
                    correct1 += c;
                }
                System.arraycopy(top1, 0, credit1, from, top1.length);
                correct5 += TopKAccuracy.expectedCorrect(logits, classes, batch, 5);
            } catch (TopKAccuracy.NonFiniteScoresException e) {
                throw new TopKAccuracy.NonFiniteScoresException("images " + from + "–" + (to - 1) + " of "
                        + labels.length + ", " + e.getMessage());
            }
        }

        Result result() {
            int n = labels.length;
            return new Result(n == 0 ? 0 : correct1 / n, n == 0 ? 0 : correct5 / n, n,
                    TopKAccuracy.meanPerClassRecall(credit1, labels, classes));
        }
    }
}
