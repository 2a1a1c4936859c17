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
        int k = classNames.size();
        double correct1 = 0;
        double correct5 = 0;
        double[] credit1 = new double[data.size()];                              // top-1 credit per image
        try (NDManager m = model.weights().manager().newSubManager()) {
            NDArray weights = ZeroShotClassifier.classWeights(model, classNames, templates, m);   // (K, P)
            for (int from = 0; from < data.size(); from += batchSize) {
                int to = Math.min(data.size(), from + batchSize);
                try (NDManager b = m.newSubManager()) {
                    NDArray pixels = b.create(preprocess.applyBatch(data.images().subList(from, to)),
                            new Shape(to - from, 3, size, size));                               // (B, 3, S, S)
                    NDArray features = model.encodeImages(pixels, b);                            // (B, P)
                    float[] logits = ZeroShotClassifier.logits(features, weights, model.logitScale())
                            .toFloatArray();                                                      // (B, K)
                    int[] labels = java.util.Arrays.copyOfRange(data.labels(), from, to);
                    try {
                        double[] top1 = TopKAccuracy.credits(logits, k, labels, 1);
                        for (int i = 0; i < top1.length; i++) {
                            correct1 += top1[i];
                        }
                        System.arraycopy(top1, 0, credit1, from, top1.length);
                        correct5 += TopKAccuracy.expectedCorrect(logits, k, labels, 5);
                    } catch (TopKAccuracy.NonFiniteScoresException e) {
                        throw new TopKAccuracy.NonFiniteScoresException("images " + from + "–" + (to - 1)
                                + " of " + data.size() + ", " + e.getMessage());
                    }
                }
                progress.accept(to);
            }
        }
        int n = data.size();
        return new Result(n == 0 ? 0 : correct1 / n, n == 0 ? 0 : correct5 / n, n,
                TopKAccuracy.meanPerClassRecall(credit1, data.labels(), k));
    }
}
