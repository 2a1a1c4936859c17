package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ingest → splits → features with {@code output.root=s3a://…} against a real S3 server on 127.0.0.1 (s3proxy,
 * in-memory), the model itself read from the bucket by the executors; credentials from a config file and from
 * the environment, and never in what the jobs print or write.
 */
class S3EndToEndTest {
    private static final Path GOLDEN_MODEL = Path.of("../model-runtime/src/test/resources/golden/tiny-quickgelu/hf");

    static S3TestServer server;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = new S3TestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void jobsRunOnS3AndNeverShowCredentials() throws Exception {
        Path conf = dir.resolve("s3.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 12, 5) + server.conf(server.secretKey));
        try (Stream<Path> files = Files.list(GOLDEN_MODEL)) {
            for (Path f : files.toList()) {
                server.store().putBlob(server.bucket, server.store().blobBuilder("models/tiny/" + f.getFileName())
                        .payload(Files.readAllBytes(f)).build());
            }
        }
        String root = "s3a://" + server.bucket + "/exp";
        List<CliRun> runs = new ArrayList<>();
        runs.add(CliRun.of("ingest", "--conf", conf.toString(), "--dataset", "toy", "output.root=" + root,
                "run-id=i", "spark.master=local[2]", "ingest.partitions=2"));
        runs.add(CliRun.of("splits", "--conf", conf.toString(), "--dataset", "toy", "output.root=" + root,
                "run-id=s", "splits.shots=4", "splits.val-shots=2", "spark.master=local[2]"));
        runs.add(CliRun.of("features", "--conf", conf.toString(), "--dataset", "toy", "output.root=" + root,
                "run-id=f", "features.shots=4", "features.augmented-views=1", "spark.master=local[2]",
                "--model", "s3a://" + server.bucket + "/models/tiny"));
        for (CliRun r : runs) {
            assertEquals(0, r.code(), r.all());
        }

        List<String> keys = server.keys();
        for (String summary : List.of("exp/ingest/i/summary.json", "exp/splits/s/summary.json",
                "exp/features/f/summary.json")) {
            assertTrue(keys.contains(summary), summary + " in " + keys);
        }
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("exp/tables/features/model=tiny/dataset=toy/k=4/split=train/")
                && k.endsWith(".parquet")), keys.toString());
        assertFalse(keys.stream().anyMatch(k -> k.contains("staging") || k.contains("in-progress")), keys.toString());

        Map<String, String> s3a = Map.of("spark.hadoop.fs.s3a.endpoint", server.endpoint(),
                "spark.hadoop.fs.s3a.access.key", server.accessKey, "spark.hadoop.fs.s3a.secret.key", server.secretKey,
                "spark.hadoop.fs.s3a.path.style.access", "true", "spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
        long[] counts = TestSpark.with(s3a, s -> {
            String tables = root + "/tables";
            long splits = s.read().parquet(tables + "/splits").where("dataset = 'toy' AND k = 4")
                    .select("split", "image_id").distinct().count();
            long train = s.read().parquet(tables + "/splits").where("dataset = 'toy' AND k = 4 AND split = 'train'")
                    .select("image_id").distinct().count();
            long features = s.read().parquet(tables + "/features").where("model = 'tiny' AND dataset = 'toy'").count();
            return new long[] {splits, train, features};
        });
        assertEquals(counts[0] + counts[1], counts[2], "one feature per split image, two per training image");
        var summary = ConfigFactory.parseString(server.text("exp/features/f/summary.json"));
        assertEquals(counts[2], summary.getLong("views"));

        // Nothing printed or stored holds a credential.
        for (CliRun r : runs) {
            assertNoCredentials(r.all(), "output of a job");
        }
        for (String k : keys) {
            assertNoCredentials(server.text(k), k);
        }

    }

    @Test
    void credentialsFromTheEnvironmentInAFreshProcess() throws Exception {
        Path conf = dir.resolve("env.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy-env"), 4, 2) + "vlmadapt.s3.path-style-access = true\n");
        String root = "output.root=s3a://" + server.bucket + "/env";
        Fresh ok = fresh(server.secretKey, "ingest", "--conf", conf.toString(), "--dataset", "toy", root, "run-id=e");
        assertEquals(0, ok.code(), ok.output());
        assertTrue(server.keys().contains("env/ingest/e/summary.json"), server.keys().toString());
        assertNoCredentials(ok.output(), "the process's whole output");

        // A wrong secret: the job fails with a message, and neither the key id nor either secret is shown.
        String wrongSecret = "wrong" + server.secretKey.substring(5);
        Fresh denied = fresh(wrongSecret, "ingest", "--conf", conf.toString(), "--dataset", "toy", root,
                "run-id=e2");
        assertNotEquals(0, denied.code(), denied.output());
        assertTrue(denied.output().contains("error:") && denied.output().contains("access denied"), denied.output());
        assertNoCredentials(denied.output(), "the denied process's output");
        assertFalse(denied.output().contains(wrongSecret), denied.output());
        assertFalse(server.keys().stream().anyMatch(k -> k.startsWith("env/ingest/e2")), server.keys().toString());
    }

    private record Fresh(int code, String output) {
    }

    /** Runs the CLI in a new JVM (as bin/vlmadapt does) with S3 settings from the environment only. */
    private static Fresh fresh(String secret, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("spark.master=local[1]", "ingest.partitions=1"));
        List<String> cmd = ChildJvm.command(all);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("AWS_ACCESS_KEY_ID", server.accessKey);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", secret);
        pb.environment().put("VLMADAPT_S3_ENDPOINT", server.endpoint());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return new Fresh(p.exitValue(), output);
    }

    private static void assertNoCredentials(String text, String where) {
        assertFalse(text.contains(server.secretKey), "secret key in " + where);
        assertFalse(text.contains(server.accessKey), "access key in " + where);
    }
}
