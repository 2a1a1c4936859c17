package dev.vlmadapt.jobs.features;

import dev.vlmadapt.jobs.executor.ExecutorReport;
import dev.vlmadapt.jobs.executor.ModelCache;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.jobs.executor.TaskDevice;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.features.ImageFeatureEncoder;
import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The executor side of the features job: decodes and augments a partition's images, then encodes them in
 * batches with the JVM's cached model on the task's device. Input rows: {@code split, image_id, label, image};
 * output rows: {@link #OUTPUT}.
 */
public final class EncodePartition implements MapPartitionsFunction<Row, Row> {
    /** {@code split} plus {@link FeatureTable#SCHEMA}. */
    public static final StructType OUTPUT = new StructType().add("split", DataTypes.StringType, false)
            .add(FeatureTable.SCHEMA.fields()[0]).add(FeatureTable.SCHEMA.fields()[1])
            .add(FeatureTable.SCHEMA.fields()[2]).add(FeatureTable.SCHEMA.fields()[3]);

    private final ModelRef model;
    private final ClipConfig config;
    private final String deviceSetting;
    private final long seed;
    private final int trainViews;
    private final int batchSize;
    private final LongAccumulator encoded;
    private final ExecutorReport executors;

    /**
     * @param model the model
     * @param config its architecture (read on the driver)
     * @param deviceSetting {@code vlmadapt.device}, used when Spark assigned no GPU
     * @param seed seed of the augmented views
     * @param augmentedViews extra views of each training image
     * @param batchSize images per image-tower pass
     * @param encoded counts encoded views, for the driver's progress line
     */
    public EncodePartition(ModelRef model, ClipConfig config, String deviceSetting, long seed, int augmentedViews,
            int batchSize, LongAccumulator encoded) {
        this(model, config, deviceSetting, seed, augmentedViews, batchSize, encoded, null);
    }

    /**
     * As above, with each task reporting its executor and model load.
     *
     * @param executors where tasks report (null: they do not)
     */
    public EncodePartition(ModelRef model, ClipConfig config, String deviceSetting, long seed, int augmentedViews,
            int batchSize, LongAccumulator encoded, ExecutorReport executors) {
        this.executors = executors;
        this.model = model;
        this.config = config;
        this.deviceSetting = deviceSetting;
        this.seed = seed;
        this.trainViews = augmentedViews;
        this.batchSize = batchSize;
        this.encoded = encoded;
    }

    private record Pending(String split, String imageId, int label, int view) {
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        ImageFeatureEncoder encoder = new ImageFeatureEncoder(config);
        var device = TaskDevice.current(deviceSetting);
        List<Row> out = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        List<RasterImage> views = new ArrayList<>();
        while (input.hasNext()) {
            Row r = input.next();
            String split = r.getString(0);
            String id = r.getString(1);
            RasterImage image;
            try {
                image = ImageCodec.decode((byte[]) r.get(3), "image " + id);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            int n = split.equals("train") ? 1 + trainViews : 1;
            for (int v = 0; v < n; v++) {
                pending.add(new Pending(split, id, r.getInt(2), v));
                views.add(encoder.view(image, id, v, seed));
                if (views.size() == batchSize) {
                    flush(encoder, device, pending, views, out);
                }
            }
        }
        if (!views.isEmpty()) {
            flush(encoder, device, pending, views, out);
        }
        if (executors != null) {
            executors.add(ExecutorReport.Use.ofThisTask(model));
        }
        return out.iterator();
    }

    private void flush(ImageFeatureEncoder encoder, ai.djl.Device device, List<Pending> pending,
            List<RasterImage> views, List<Row> out) {
        float[] pixels = encoder.pixels(views);           // (B, 3, S, S), prepared outside the model's turn
        int b = views.size();
        float[][] features = ModelCache.withModel(model, device, m -> encoder.encode(m, pixels, b));
        for (int i = 0; i < b; i++) {
            Pending p = pending.get(i);
            out.add(RowFactory.create(p.split(), p.imageId(), p.label(), p.view(), boxed(features[i])));
        }
        encoded.add(b);
        pending.clear();
        views.clear();
    }

    private static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
