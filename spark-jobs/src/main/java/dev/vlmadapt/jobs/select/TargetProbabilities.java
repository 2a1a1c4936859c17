package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.evaluate.EvalData;
import dev.vlmadapt.jobs.executor.ModelCache;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.jobs.executor.TaskDevice;
import dev.vlmadapt.runtime.zeroshot.ZeroShotEvaluator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Each model's zero-shot class probabilities on a target's test split, softmax(logit scale × cosine) over the
 * target's classes with its template ensemble: what reuse combines. One Spark task per model.
 */
public final class TargetProbabilities {
    private record Task(String name, ModelRef ref) implements Serializable {
    }

    private TargetProbabilities() {
    }

    /**
     * @param jsc the context
     * @param data the target's split (broadcast)
     * @param models the models, by name
     * @param device the {@code device} setting
     * @param batch images per image-tower pass
     * @return per model, {@code [images][classes]} probabilities
     */
    public static Map<String, double[][]> of(JavaSparkContext jsc, Broadcast<EvalData> data,
            Map<String, ModelRef> models, String device, int batch) {
        List<Task> tasks = new ArrayList<>();
        models.forEach((n, r) -> tasks.add(new Task(n, r)));
        if (tasks.isEmpty()) {
            return Map.of();
        }
        List<Tuple2<String, double[][]>> out = jsc.parallelize(tasks, tasks.size()).map(t -> {
            EvalData d = data.value();
            var images = d.decode().images();
            double[][] p = ModelCache.withModel(t.ref(), TaskDevice.current(device), model -> {
                float[][] cos = ZeroShotEvaluator.cosines(model, images, d.classes(), d.templates(), batch);
                return softmax(cos, model.logitScale());
            });
            return new Tuple2<>(t.name(), p);
        }).collect();
        Map<String, double[][]> byName = new TreeMap<>();
        out.forEach(t -> byName.put(t._1(), t._2()));
        return byName;
    }

    /**
     * @param cos {@code [images][classes]} cosines
     * @param scale the model's logit scale
     * @return row-wise softmax of scale × cos
     */
    static double[][] softmax(float[][] cos, float scale) {
        double[][] p = new double[cos.length][];
        for (int i = 0; i < cos.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float c : cos[i]) {
                max = Math.max(max, scale * c);
            }
            p[i] = new double[cos[i].length];
            double sum = 0;
            for (int y = 0; y < p[i].length; y++) {
                p[i][y] = Math.exp(scale * cos[i][y] - max);
                sum += p[i][y];
            }
            for (int y = 0; y < p[i].length; y++) {
                p[i][y] /= sum;
            }
        }
        return p;
    }
}
