package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.jobs.executor.ModelCache;
import dev.vlmadapt.jobs.features.FeatureTable;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.data.IdxReader;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.image.ClipPreprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest → splits → features on toy data in Spark local mode, with the golden random tiny CLIP (24-dim). */
class FeaturesJobTest {
    private static final Path GOLDEN_MODEL = Path.of("../model-runtime/src/test/resources/golden/tiny-quickgelu/hf");

    @TempDir
    static Path dir;
    static Path conf;
    static String out;
    static String tables;

    @BeforeAll
    static void ingestAndSplit() throws IOException {
        conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 12, 5));
        out = "output.root=" + dir.resolve("runs");
        tables = dir.resolve("runs/tables").toString();
        assertEquals(0, CliRun.of("ingest", "--conf", conf.toString(), "--dataset", "toy", out, "run-id=i",
                "spark.master=local[2]", "ingest.partitions=2").code());
        assertEquals(0, CliRun.of("splits", "--conf", conf.toString(), "--dataset", "toy", out, "run-id=s",
                "splits.shots=4", "splits.val-shots=2", "spark.master=local[2]").code());
    }

    private static CliRun features(String runId, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("features", "--conf", conf.toString(), "--dataset",
                "toy", out, "run-id=" + runId, "features.shots=4", "spark.master=local[2]", "model.id=tiny"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(new String[0]));
    }

    @Test
    void featuresAreTheImageTowerOutputsAndTheModelLoadsOncePerJvm() throws Exception {
        // A copy at a path no other test uses, so that no earlier job in this JVM has cached it.
        Path model = Files.createDirectories(dir.resolve("model-once"));
        try (Stream<Path> files = Files.list(GOLDEN_MODEL)) {
            for (Path f : files.toList()) {
                Files.copy(f, model.resolve(f.getFileName()));
            }
        }
        int loadsBefore = ModelCache.loads();
        CliRun first = features("f1", "--model", model.toString(), "features.augmented-views=2",
                "features.partitions=4", "features.batch-size=5");
        assertEquals(0, first.code(), first.err());
        assertEquals(loadsBefore + 1, ModelCache.loads(), "4 tasks on 2 threads, one model load");

        Map<String, Long> expected = TestSpark.with(s -> counts(s.read().parquet(tables + "/splits")
                .where("dataset = 'toy' AND k = 4").select("split", "image_id").distinct().collectAsList()));
        List<Row> rows = TestSpark.with(s -> s.read().parquet(tables + "/features")
                .where("model = 'tiny' AND dataset = 'toy' AND k = 4").collectAsList());
        Map<String, Long> got = new HashMap<>();
        for (Row r : rows) {
            got.merge(r.getAs("split"), 1L, Long::sum);
            assertEquals(24, r.getList(r.fieldIndex("feature")).size());
        }
        assertEquals(expected.get("train") * 3, got.get("train"), "train: plain view + 2 augmented views");
        assertEquals(expected.get("val"), got.get("val"));
        assertEquals(15L, got.get("test"));

        // View 0 is exactly the image tower's output for CLIP's preprocessing of the stored image.
        LabeledImages test = IdxReader.read(dir.resolve("toy/test-images.gz"), dir.resolve("toy/test-labels.gz"), 3);
        Row t7 = find(rows, "toy/test/000007", 0);
        try (ClipModel clip = ClipModel.load(GOLDEN_MODEL, Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int s = clip.config().imageSize();
            float[] direct = clip.encodeImages(m.create(ClipPreprocessor.forModel(clip.config())
                    .apply(test.images().get(7)), new Shape(1, 3, s, s)), m).toFloatArray();
            assertArrayClose(direct, feature(t7), 1e-5f, "view 0 of toy/test/000007");
        }
        Row train = rows.stream().filter(r -> r.getAs("split").equals("train")).findFirst().orElseThrow();
        String id = train.getAs("image_id");
        float[] plain = feature(find(rows, id, 0));
        for (int v = 1; v <= 2; v++) {
            assertTrue(maxDiff(plain, feature(find(rows, id, v))) > 1e-3, "augmented view " + v + " differs");
        }

        // Another run with other partitioning and batching reuses the model and draws the same views.
        CliRun second = features("f2", "--model", model.toString(), "features.augmented-views=2",
                "features.partitions=1", "features.batch-size=64");
        assertEquals(0, second.code(), second.err());
        assertEquals(loadsBefore + 1, ModelCache.loads(), "the cached model is reused by the next job");
        List<Row> again = TestSpark.with(s -> s.read().parquet(tables + "/features")
                .where("model = 'tiny' AND dataset = 'toy' AND k = 4").collectAsList());
        assertEquals(rows.size(), again.size());
        for (Row r : again) {
            assertArrayClose(feature(find(rows, r.getAs("image_id"), r.getAs("view"))), feature(r), 1e-5f,
                    r.getAs("image_id") + " view " + r.getAs("view"));
        }

        // One split reads back alone, with its dimension checked.
        long val = TestSpark.with(s -> FeatureTable.read(new TableStore(s, tables), "tiny", "toy", 4, "val", 24)
                .count());
        assertEquals(expected.get("val"), val);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> TestSpark.with(s ->
                FeatureTable.read(new TableStore(s, tables), "tiny", "toy", 4, "test", 16)));
        assertTrue(wrong.getMessage().contains("features/model=tiny/dataset=toy/k=4/split=test")
                && wrong.getMessage().contains("24-dimensional feature; expected 16"), wrong.getMessage());
    }

    @Test
    void aModelOfAnotherDimensionUnderTheSameIdIsRefused() throws Exception {
        assertEquals(0, features("d1", "--model", GOLDEN_MODEL.toString(), "features.splits=[val]").code());
        Path other = TinyModels.random(dir.resolve("other-model"), 16, 3);
        List<Row> before = TestSpark.with(s -> s.read().parquet(tables + "/features").collectAsList());
        CliRun run = features("d2", "--model", other.toString(), "features.splits=[val]");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("features/model=tiny holds 24-dimensional features")
                && run.err().contains("produces 16-dimensional"), run.err());
        assertFalse(Files.exists(dir.resolve("runs/features/d2")), "no run directory for the failed run");
        assertEquals(before.size(), TestSpark.with(s -> s.read().parquet(tables + "/features").count()).intValue());
        // Under its own id the other model is fine.
        CliRun own = features("d3", "--model", other.toString(), "features.splits=[val]", "model.id=other");
        assertEquals(0, own.code(), own.err());
    }

    @Test
    void missingSplitsNameTheCommandToRun() {
        CliRun run = features("m1", "--model", GOLDEN_MODEL.toString(), "features.shots=7");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("k=7") && run.err().contains("bin/vlmadapt splits"), run.err());
        try (Stream<Path> s = Files.list(dir.resolve("runs/tables/features"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no staging left");
        } catch (IOException e) {
            // no feature table yet: nothing left either
        }
    }

    @Test
    void aCorruptStoredImageFailsTheJobNamingTheImageAndLeavesNoPartition() throws Exception {
        // A dataset whose image table holds one undecodable image, as a damaged or hand-made table would.
        String images = tables + "/images/dataset=broken";
        String splits = tables + "/splits/dataset=broken/k=1";
        TestSpark.with(s -> {
            byte[] png = ToyData.png(3);
            List<Row> rows = List.of(
                    org.apache.spark.sql.RowFactory.create("broken/train/000000", 0, "stripes", "train", png, 28, 28),
                    org.apache.spark.sql.RowFactory.create("broken/train/000001", 1, "dot", "train",
                            "not a png".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 28, 28));
            s.createDataFrame(rows, dev.vlmadapt.jobs.ingest.ImageRows.SCHEMA).write().parquet(images);
            List<Row> split = List.of(org.apache.spark.sql.RowFactory.create(1, "train", "broken/train/000000", 0),
                    org.apache.spark.sql.RowFactory.create(1, "train", "broken/train/000001", 1));
            s.createDataFrame(split, dev.vlmadapt.jobs.splits.SplitsJob.SCHEMA).write().parquet(splits);
            return null;
        });
        CliRun run = CliRun.of("features", "--conf", conf.toString(), "--dataset", "broken", out, "run-id=c1",
                "features.shots=1", "features.seeds=[1]", "spark.master=local[2]", "model.id=tiny",
                "--model", GOLDEN_MODEL.toString());
        assertEquals(1, run.code(), run.all());
        assertTrue(run.err().contains("error: image broken/train/000001: not a decodable image"), run.err());
        assertFalse(Files.exists(dir.resolve("runs/tables/features/model=tiny/dataset=broken")), "no partition");
        assertFalse(Files.exists(dir.resolve("runs/features/c1")), "no run directory");
        try (Stream<Path> s = Files.list(dir.resolve("runs/tables/features"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no staging left");
        }
    }

    private static Map<String, Long> counts(List<Row> rows) {
        Map<String, Long> m = new HashMap<>();
        rows.forEach(r -> m.merge(r.getString(0), 1L, Long::sum));
        return m;
    }

    private static Row find(List<Row> rows, String id, int view) {
        return rows.stream().filter(r -> r.getAs("image_id").equals(id) && (int) r.getAs("view") == view)
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + id + " view " + view));
    }

    private static float[] feature(Row r) {
        List<Float> v = r.getList(r.fieldIndex("feature"));
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    private static float maxDiff(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static void assertArrayClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what);
        assertTrue(maxDiff(expected, actual) <= tol, what + ": max difference " + maxDiff(expected, actual));
    }
}
