package dev.vlmadapt.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

import dev.vlmadapt.jobs.TableStore;
import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The feature table {@code features/model=<id>/dataset=<name>/k=<K>/split=<split>/}: one row per image view.
 * Partition pruning reads one model/dataset/K/split alone.
 */
public final class FeatureTable {
    /**
     * {@code image_id} (as in the image table), {@code label}, {@code view} (0 = CLIP's plain preprocessing,
     * ≥ 1 = augmented), {@code feature} the image tower's projected, unnormalised output. Partition columns
     * {@code model}, {@code dataset}, {@code k}, {@code split} come from the path.
     */
    public static final StructType SCHEMA = new StructType()
            .add("image_id", DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("view", DataTypes.IntegerType, false)
            .add("feature", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private FeatureTable() {
    }

    /**
     * @param model model id
     * @param dataset dataset name
     * @param k shots per class
     * @return the partition below the table root
     */
    public static String partition(String model, String dataset, int k) {
        return "model=" + model + "/dataset=" + dataset + "/k=" + k;
    }

    /**
     * The dimension of the features a model id already has in the table, from any dataset.
     *
     * @param store the table store
     * @param model model id
     * @return the dimension, or -1 if the model has no features yet
     * @throws IOException if the store cannot be reached
     */
    public static int storedDimension(TableStore store, String model) throws IOException {
        if (!store.exists(TableStore.FEATURES)) {
            return -1;
        }
        List<Row> one = store.read(TableStore.FEATURES).where(col("model").equalTo(model))
                .select(size(col("feature")), col("dataset"), col("image_id")).limit(1).collectAsList();
        return one.isEmpty() ? -1 : one.get(0).getInt(0);
    }

    /**
     * Reads one split's features and checks every vector's length.
     *
     * @param store the table store
     * @param model model id
     * @param dataset dataset name
     * @param k shots per class
     * @param split train, val or test
     * @param dimension the expected feature dimension (the consuming model's projection dimension)
     * @return the rows ({@link #SCHEMA})
     * @throws IllegalArgumentException if a vector has another length; the message
     *     names the partition and the image
     */
    public static Dataset<Row> read(TableStore store, String model, String dataset, int k, String split,
            int dimension) {
        String where = store.partition(TableStore.FEATURES, partition(model, dataset, k) + "/split=" + split);
        Dataset<Row> rows = store.read(TableStore.FEATURES).where(col("model").equalTo(model)
                .and(col("dataset").equalTo(dataset)).and(col("k").equalTo(k)).and(col("split").equalTo(split)))
                .select("image_id", "label", "view", "feature");
        List<Row> bad = rows.where(size(col("feature")).notEqual(dimension))
                .select(col("image_id"), col("view"), size(col("feature"))).limit(1).collectAsList();
        if (!bad.isEmpty()) {
            Row b = bad.get(0);
            throw new IllegalArgumentException(where + ": image " + b.getString(0) + " view " + b.getInt(1) + " has a "
                    + b.getInt(2) + "-dimensional feature; expected " + dimension + " (the model's projection "
                    + "dimension); recompute features with this model");
        }
        return rows;
    }
}
