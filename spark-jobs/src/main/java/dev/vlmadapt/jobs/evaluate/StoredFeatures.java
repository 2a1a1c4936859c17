package dev.vlmadapt.jobs.evaluate;

import static org.apache.spark.sql.functions.col;

import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.executor.ModelRef;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * Image features of a dataset split that the feature table already holds for a model (its plain view, written by
 * the {@code features} job under {@code model=<the model's name>}), so that evaluating the pair runs only the text
 * tower. Used only when they cover every image of the split; otherwise the images are encoded.
 */
public final class StoredFeatures {
    private StoredFeatures() {
    }

    /**
     * @param store the tables
     * @param jsc the job's context
     * @param pairs the pairs to evaluate
     * @param models each model by name
     * @param data each dataset's split
     * @return the features of each pair whose split the feature table covers, broadcast once
     * @throws IOException if the store or a model's configuration cannot be read
     */
    static Map<GridPlan.Pair, Broadcast<float[][]>> forPairs(TableStore store, JavaSparkContext jsc,
            List<GridPlan.Pair> pairs, Map<String, ModelRef> models, Map<String, Broadcast<EvalData>> data)
            throws IOException {
        Map<GridPlan.Pair, Broadcast<float[][]>> out = new LinkedHashMap<>();
        if (!store.exists(TableStore.FEATURES)) {
            return out;
        }
        Map<String, Integer> dims = new HashMap<>();
        for (GridPlan.Pair p : pairs) {
            if (!dims.containsKey(p.model())) {
                dims.put(p.model(), models.get(p.model()).config(jsc.hadoopConfiguration()).projectionDim());
            }
            float[][] f = lookup(store, p.model(), data.get(p.dataset()).value(), dims.get(p.model()));
            if (f != null) {
                out.put(p, jsc.broadcast(f));
            }
        }
        if (!out.isEmpty()) {
            System.err.printf(Locale.ROOT, "[evaluate] %d pairs from the feature table's image features%n",
                    out.size());
        }
        return out;
    }

    /**
     * @param store the tables
     * @param model the model's name (the feature table's model id)
     * @param data the split as evaluated (its image ids give the order)
     * @param dimension the model's projection dimension
     * @return one feature per image of {@code data}, in its order, or null if the table does not hold them all
     * @throws IOException if the store cannot be reached
     */
    public static float[][] lookup(TableStore store, String model, EvalData data, int dimension)
            throws IOException {
        if (!store.exists(TableStore.FEATURES)) {
            return null;
        }
        List<Row> rows = store.read(TableStore.FEATURES).where(col("model").equalTo(model)
                        .and(col("dataset").equalTo(data.dataset())).and(col("split").equalTo(data.split()))
                        .and(col("view").equalTo(0)))
                .select("image_id", "feature").collectAsList();
        Map<String, float[]> byId = new HashMap<>();
        for (Row r : rows) {
            List<Float> f = r.getList(1);
            if (f.size() != dimension) {
                return null;                 // features of another model under this name: encode instead
            }
            float[] v = new float[f.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = f.get(i);
            }
            byId.putIfAbsent(r.getString(0), v);   // several K partitions hold the same test images
        }
        float[][] out = new float[data.ids().size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = byId.get(data.ids().get(i));
            if (out[i] == null) {
                return null;
            }
        }
        return out;
    }
}
