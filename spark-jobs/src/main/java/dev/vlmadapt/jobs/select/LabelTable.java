package dev.vlmadapt.jobs.select;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * MLL's model labels, {@code <tables.root>/model_labels/graph=<graph>/model=<name>/}: per sample image, the
 * model's cosine similarity to every node of the graph (in the graph table's node order), with the image's class
 * synset. Task-independent: computed once per model and graph.
 */
public final class LabelTable {
    /** Table name. */
    public static final String TABLE = "model_labels";

    /** The columns (graph and model come from the partition path). */
    public static final StructType SCHEMA = new StructType()
            .add("image_id", DataTypes.StringType, false)
            .add("dataset", DataTypes.StringType, false)
            .add("synset_offset", DataTypes.LongType, false)
            .add("sims", DataTypes.createArrayType(DataTypes.FloatType), false);

    private LabelTable() {
    }

    /**
     * @param graph the graph's name
     * @param model the model's name
     * @return its partition
     */
    public static String partition(String graph, String model) {
        return "graph=" + graph + "/model=" + model;
    }

    /**
     * @param sample the sample images
     * @param sims the model's similarities, one row per sample image
     * @return the rows
     */
    public static List<Row> rows(SampleImages sample, float[][] sims) {
        List<Row> out = new ArrayList<>(sims.length);
        for (int i = 0; i < sims.length; i++) {
            Float[] s = new Float[sims[i].length];
            for (int j = 0; j < s.length; j++) {
                s[j] = sims[i][j];
            }
            out.add(RowFactory.create(sample.ids().get(i), sample.datasets().get(i), sample.synsets()[i], s));
        }
        return out;
    }
}
