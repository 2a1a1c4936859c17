package dev.vlmadapt.jobs.tune;

import static org.apache.spark.sql.functions.col;

import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.features.FeatureTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The cached features of one split of one seed, collected to the driver in image-id order. */
record TuneData(String split, List<String> ids, float[][] features, int[] labels) {

    /**
     * @param store table store
     * @param model model id in the feature table
     * @param dataset dataset
     * @param k shots
     * @param seed split seed
     * @param split train, val or test
     * @param view feature view (0 = plain)
     * @param dimension the model's projection dimension
     * @return the split's features, sorted by image id
     */
    static TuneData load(TableStore store, String model, String dataset, int k, int seed, String split, int view,
            int dimension) {
        Dataset<Row> ids = store.read(TableStore.SPLITS).where(col("dataset").equalTo(dataset)
                .and(col("k").equalTo(k)).and(col("seed").equalTo(seed)).and(col("split").equalTo(split)))
                .select("image_id");
        Dataset<Row> features = FeatureTable.read(store, model, dataset, k, split, dimension)
                .where(col("view").equalTo(view));
        List<Row> rows = ids.join(features, "image_id").select("image_id", "label", "feature").orderBy("image_id")
                .collectAsList();
        long wanted = ids.count();
        if (rows.size() != wanted || wanted == 0) {
            throw new IllegalArgumentException("features of " + dataset + " (model " + model + ", k=" + k + ", seed "
                    + seed + ", split " + split + ", view " + view + "): " + rows.size() + " of " + wanted
                    + " images found in " + store.table(TableStore.FEATURES) + "; run `bin/vlmadapt features "
                    + "--dataset " + dataset + " features.shots=" + k + "` with this model first");
        }
        float[][] f = new float[rows.size()][];
        int[] labels = new int[rows.size()];
        List<String> names = new java.util.ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            names.add(r.getString(0));
            labels[i] = r.getInt(1);
            List<Float> v = r.getList(2);
            f[i] = new float[v.size()];
            for (int j = 0; j < f[i].length; j++) {
                f[i][j] = v.get(j);
            }
        }
        return new TuneData(split, names, f, labels);
    }
}
