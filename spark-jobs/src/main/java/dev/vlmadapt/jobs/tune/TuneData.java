package dev.vlmadapt.jobs.tune;

import static org.apache.spark.sql.functions.col;

import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.features.FeatureTable;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.features.ImageFeatureEncoder;
import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.image.RasterImage;
import dev.vlmadapt.runtime.objective.FewShotSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The cached features of one split of one seed, collected to the driver in image-id order, with the images'
 * preprocessed pixels when a method prompts the images.
 */
record TuneData(String split, List<String> ids, FewShotSet set) {

    /**
     * @param store table store
     * @param model model id in the feature table
     * @param dataset dataset
     * @param k shots
     * @param seed split seed
     * @param split train, val or test
     * @param view feature view (0 = plain)
     * @param arch the model's architecture
     * @param withPixels whether to load and preprocess the images too (plain view)
     * @return the split's features, sorted by image id
     */
    static TuneData load(TableStore store, String model, String dataset, int k, int seed, String split, int view,
            ClipConfig arch, boolean withPixels) {
        Dataset<Row> ids = store.read(TableStore.SPLITS).where(col("dataset").equalTo(dataset)
                .and(col("k").equalTo(k)).and(col("seed").equalTo(seed)).and(col("split").equalTo(split)))
                .select("image_id");
        Dataset<Row> features = FeatureTable.read(store, model, dataset, k, split, arch.projectionDim())
                .where(col("view").equalTo(view));
        Dataset<Row> joined = ids.join(features, "image_id").select("image_id", "label", "feature");
        if (withPixels) {
            Dataset<Row> images = store.read(TableStore.IMAGES).where(col("dataset").equalTo(dataset))
                    .select(col("id").as("image_id"), col("image"));
            joined = joined.join(images, "image_id").select("image_id", "label", "feature", "image");
        }
        List<Row> rows = joined.orderBy("image_id").collectAsList();
        long wanted = ids.count();
        if (rows.size() != wanted || wanted == 0) {
            throw new IllegalArgumentException("features of " + dataset + " (model " + model + ", k=" + k + ", seed "
                    + seed + ", split " + split + ", view " + view + "): " + rows.size() + " of " + wanted
                    + " images found in " + store.table(TableStore.FEATURES)
                    + (withPixels ? " joined with the images in " + store.table(TableStore.IMAGES) : "")
                    + "; run `bin/vlmadapt features --dataset " + dataset + " features.shots=" + k
                    + "` with this model first" + (withPixels ? " (or `bin/vlmadapt ingest --dataset " + dataset
                    + "` if the images table lost them)" : ""));
        }
        float[][] f = new float[rows.size()][];
        int[] labels = new int[rows.size()];
        List<String> names = new ArrayList<>(rows.size());
        List<RasterImage> images = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            names.add(r.getString(0));
            labels[i] = r.getInt(1);
            List<Float> v = r.getList(2);
            f[i] = new float[v.size()];
            for (int j = 0; j < f[i].length; j++) {
                f[i][j] = v.get(j);
            }
            if (withPixels) {
                try {
                    images.add(ImageCodec.decode((byte[]) r.get(3), "image " + r.getString(0) + " of " + dataset));
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            }
        }
        float[] pixels = withPixels ? new ImageFeatureEncoder(arch).pixels(images) : null;
        return new TuneData(split, names, new FewShotSet(f, labels, pixels));
    }
}
