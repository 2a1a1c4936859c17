package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.select.DatasetEmbedding;
import dev.vlmadapt.runtime.select.DatasetText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The texts of the ranking table's datasets, {@code <tables.root>/dataset_texts/origin=<name>/}: one row per
 * dataset with its domain, task and class names, written by {@code hub-import --descriptions}, and their MiniLM
 * embeddings (computed once there, so that selecting for a new target embeds only the target's few sentences).
 * Datasets of the catalog need no row: their texts come from {@code conf/datasets.conf}.
 */
public final class DatasetTextTable {
    /** The columns (origin comes from the partition path). */
    public static final StructType SCHEMA = new StructType()
            .add("dataset", DataTypes.StringType, false)
            .add("domain", DataTypes.StringType, false)
            .add("task", DataTypes.StringType, false)
            .add("classes", DataTypes.createArrayType(DataTypes.StringType), false)
            .add("description_embedding", DataTypes.createArrayType(DataTypes.FloatType), false)
            .add("classes_embedding", DataTypes.createArrayType(DataTypes.FloatType), false);

    /**
     * A stored dataset text.
     *
     * @param text the text
     * @param embedding its embedding as stored
     */
    public record Stored(DatasetText text, DatasetEmbedding embedding) {
    }

    private DatasetTextTable() {
    }

    /**
     * @param texts datasets' texts
     * @param embeddings their embeddings, by name
     * @return their rows
     */
    public static List<Row> rows(List<DatasetText> texts, Map<String, DatasetEmbedding> embeddings) {
        List<Row> out = new ArrayList<>();
        for (DatasetText t : texts) {
            DatasetEmbedding e = embeddings.get(t.name());
            out.add(RowFactory.create(t.name(), t.domain(), t.task(), t.classes().toArray(new String[0]),
                    boxed(e.description()), boxed(e.classes())));
        }
        return out;
    }

    private static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static float[] unboxed(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    /**
     * @param spark the session
     * @param tablesRoot the tables root whose {@code dataset_texts} to read
     * @return every stored text by dataset (empty if the table is absent); a later origin's row wins
     * @throws IOException if the table cannot be listed
     */
    public static Map<String, Stored> read(SparkSession spark, String tablesRoot) throws IOException {
        TableStore store = new TableStore(spark, tablesRoot);
        Map<String, Stored> out = new LinkedHashMap<>();
        if (!store.exists(TableStore.DATASET_TEXTS)) {
            return out;
        }
        for (Row r : store.read(TableStore.DATASET_TEXTS).orderBy("origin", "dataset").collectAsList()) {
            List<String> classes = r.getList(r.fieldIndex("classes"));
            DatasetText text = new DatasetText(r.getAs("dataset"), r.getAs("domain"), r.getAs("task"), classes);
            out.put(text.name(), new Stored(text, new DatasetEmbedding(
                    unboxed(r.getList(r.fieldIndex("description_embedding"))),
                    unboxed(r.getList(r.fieldIndex("classes_embedding"))))));
        }
        return out;
    }
}
