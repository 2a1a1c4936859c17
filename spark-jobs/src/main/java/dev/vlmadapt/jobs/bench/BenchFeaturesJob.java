package dev.vlmadapt.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.jobs.features.EncodePartition;
import dev.vlmadapt.jobs.pretrain.PretrainTinyJob;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.io.StagedDirectory;
import dev.vlmadapt.runtime.train.RandomClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Feature extraction through Spark local mode against a direct loop over the same images in the same JVM: both
 * run the features job's executor code ({@link EncodePartition}: PNG decode, preprocessing, image tower) with the
 * same PyTorch threads, on a randomly initialised CLIP of the default tiny architecture (throughput does not
 * depend on the weights). Inputs are in memory for both, so the ratio is Spark's scheduling and data movement
 * cost (or gain, since Spark's tasks decode while another task's batch is on the model). Medians of repeats.
 */
public final class BenchFeaturesJob implements Job {
    private static final StructType INPUT = new StructType().add("split", DataTypes.StringType)
            .add("image_id", DataTypes.StringType).add("label", DataTypes.IntegerType)
            .add("image", DataTypes.BinaryType);

    @Override
    public String name() {
        return "bench-features";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        String dataset = config.string("bench.features.dataset");
        String split = config.string("bench.features.split");
        int limit = config.integer("bench.features.images", 0);
        int repeats = config.integer("bench.repeats", 1);
        int batch = config.integer("features.batch-size", 1);
        Path output = Path.of(config.string("bench.features.output"));
        DatasetCatalog catalog = new DatasetCatalog(config);
        Path modelDir = Files.createTempDirectory("vlmadapt-bench-model-").resolve("tiny");
        try (RunDirectory run = RunDirectory.create(config, name())) {
            LabeledImages data = catalog.load(dataset, split);
            if (limit > 0 && limit < data.size()) {
                data = data.slice(0, limit);
            }
            List<Row> rows = new ArrayList<>(data.size());
            for (int i = 0; i < data.size(); i++) {
                rows.add(RowFactory.create("test", dataset + "/" + i, data.labels()[i],
                        ImageCodec.encodePng(data.images().get(i))));
            }
            ClipConfig arch = RandomClip.write(PretrainTinyJob.architecture(config.section("pretrain-tiny.architecture"),
                    1), catalog.info(dataset).classes(), 1, modelDir);

            SparkSession spark = SparkSessions.getOrCreate(config, name());
            ModelRef model = ModelRef.of(modelDir.toString(), spark.sparkContext().hadoopConfiguration());
            LongAccumulator counter = spark.sparkContext().longAccumulator("encoded");
            EncodePartition encode = new EncodePartition(model, arch, config.string("device"), 1, 0, batch, counter);
            int tasks = spark.sparkContext().defaultParallelism();
            Dataset<Row> input = spark.createDataFrame(rows, INPUT).repartition(tasks).cache();
            input.count();

            System.err.printf(Locale.ROOT, "[bench-features] %d %s/%s images, batch %d, %s with %d tasks, %d repeats%n",
                    rows.size(), dataset, split, batch, spark.sparkContext().master(), tasks, repeats);
            direct(encode, rows);                                    // warm-up: loads the model into the cache
            spark(encode, input);
            double[] directRates = new double[repeats];
            double[] sparkRates = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                directRates[r] = rows.size() / direct(encode, rows);
                sparkRates[r] = rows.size() / spark(encode, input);
                System.err.printf(Locale.ROOT, "[bench-features] repeat %d: direct %.0f images/s, Spark %.0f images/s%n",
                        r + 1, directRates[r], sparkRates[r]);
            }
            double direct = median(directRates);
            double viaSpark = median(sparkRates);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("dataset", dataset + "/" + split);
            r.put("images", rows.size());
            r.put("batch_size", batch);
            r.put("architecture", arch.toString());
            r.put("spark_master", spark.sparkContext().master());
            r.put("spark_tasks", tasks);
            r.put("repeats", repeats);
            r.put("direct_images_per_second", Math.round(direct));
            r.put("spark_images_per_second", Math.round(viaSpark));
            r.put("spark_vs_direct_throughput", Math.round(viaSpark / direct * 1000) / 1000.0);
            Files.createDirectories(output.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.toFile(), r);
            System.out.printf(Locale.ROOT, "feature extraction: direct %.0f images/s, Spark %.0f images/s, "
                    + "spark_vs_direct_throughput %.3f (goal >= 0.9); written to %s%n", direct, viaSpark,
                    viaSpark / direct, output);
            return run.commit(config, r);
        } finally {
            StagedDirectory.deleteRecursively(modelDir.getParent());
        }
    }

    /** @return seconds for the executor code on all rows, in this thread */
    private static double direct(EncodePartition encode, List<Row> rows) {
        long start = System.nanoTime();
        Iterator<Row> out = encode.call(rows.iterator());
        int n = 0;
        while (out.hasNext()) {
            out.next();
            n++;
        }
        if (n != rows.size()) {
            throw new IllegalStateException("direct loop encoded " + n + " of " + rows.size() + " images");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** @return seconds for the same code as Spark tasks over the cached input */
    private static double spark(EncodePartition encode, Dataset<Row> input) {
        long start = System.nanoTime();
        long n = input.mapPartitions(encode, Encoders.row(EncodePartition.OUTPUT)).count();
        if (n != input.count()) {
            throw new IllegalStateException("Spark encoded " + n + " images");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
