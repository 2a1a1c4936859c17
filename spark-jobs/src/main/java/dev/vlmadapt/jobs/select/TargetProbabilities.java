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
 * target's classes with its template ensemble: what reuse combines. One Spark task per model; where the feature
 * table holds a model's features of the whole split, only its text tower runs.
 */
public final class TargetProbabilities {
    private record Task(String name, ModelRef ref, Broadcast<float[][]> features) implements Serializable {
    }

    private TargetProbabilities() {
    }

    /**
     * @param jsc the context
     * @param data the target's split (broadcast)
     * @param models the models, by name
     * @param stored image features from the feature table, by model (absent: the images are encoded)
     * @param device the {@code device} setting
     * @param batch images per image-tower pass
     * @return per model, {@code [images][classes]} probabilities
     */
    public static Map<String, double[][]> of(JavaSparkContext jsc, Broadcast<EvalData> data,
            Map<String, ModelRef> models, Map<String, Broadcast<float[][]>> stored, String device, int batch) {
        List<Task> tasks = new ArrayList<>();
        models.forEach((n, r) -> tasks.add(new Task(n, r, stored.get(n))));
        if (tasks.isEmpty()) {
            return Map.of();
        }
        List<Tuple2<String, double[][]>> out = jsc.parallelize(tasks, tasks.size()).map(t -> {
            EvalData d = data.value();
            float[][] features = t.features() == null ? null : t.features().value();
            var images = features == null ? d.decode().images() : null;
            double[][] p = ModelCache.withModel(t.ref(), TaskDevice.current(device), model -> {
                float[][] cos = features != null
                        ? ZeroShotEvaluator.cosinesOfFeatures(model, features, d.classes(), d.templates())
                        : ZeroShotEvaluator.cosines(model, images, d.classes(), d.templates(), batch);
                return softmax(cos, model.logitScale());
            });
            return new Tuple2<>(t.name(), p);
        }).collect();
        Map<String, double[][]> byName = new TreeMap<>();
        out.forEach(t -> byName.put(t._1(), t._2()));
        return byName;
    }

    /**
     * @param config the job's config ({@code select.mll.models} or {@code hub.root})
     * @param spark the session
     * @param r a selection
     * @return every model chosen for some class, by name, with its directory
     * @throws java.io.IOException if a model directory cannot be read
     * @throws IllegalArgumentException if a labelled model has no directory
     */
    public static Map<String, ModelRef> chosen(dev.vlmadapt.jobs.JobConfig config,
            org.apache.spark.sql.SparkSession spark, MllSelect.Result r) throws java.io.IOException {
        Map<String, String> dirs = new java.util.LinkedHashMap<>();
        for (String dir : LabelJob.models(config, spark)) {
            dirs.put(ModelRef.of(dir, spark.sparkContext().hadoopConfiguration()).name(), dir);
        }
        Map<String, ModelRef> out = new java.util.LinkedHashMap<>();
        for (int[] c : r.selection().chosen()) {
            for (int m : c) {
                String name = r.models().get(m);
                if (!dirs.containsKey(name)) {
                    throw new IllegalArgumentException("model " + name + " has labels but no directory among "
                            + "select.mll.models / hub.root");
                }
                if (!out.containsKey(name)) {
                    out.put(name, ModelRef.of(dirs.get(name), spark.sparkContext().hadoopConfiguration()));
                }
            }
        }
        return out;
    }

    /**
     * @param store the tables
     * @param jsc the context
     * @param data the target's split
     * @param models the models
     * @return each model's features of the whole split where the feature table holds them, broadcast
     * @throws java.io.IOException if the store or a model's configuration cannot be read
     */
    public static Map<String, Broadcast<float[][]>> stored(dev.vlmadapt.jobs.TableStore store, JavaSparkContext jsc,
            EvalData data, Map<String, ModelRef> models) throws java.io.IOException {
        Map<String, Broadcast<float[][]>> out = new TreeMap<>();
        for (Map.Entry<String, ModelRef> e : models.entrySet()) {
            int dim = e.getValue().config(jsc.hadoopConfiguration()).projectionDim();
            float[][] f = dev.vlmadapt.jobs.evaluate.StoredFeatures.lookup(store, e.getKey(), data, dim);
            if (f != null) {
                out.put(e.getKey(), jsc.broadcast(f));
            }
        }
        return out;
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
