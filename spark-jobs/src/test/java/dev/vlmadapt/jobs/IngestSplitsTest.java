package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlmadapt.jobs.cli.Main;
import dev.vlmadapt.jobs.ingest.ImageRows;
import dev.vlmadapt.runtime.data.IdxReader;
import dev.vlmadapt.runtime.data.LabeledImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest → splits through the CLI in Spark local mode, read back with Spark. */
class IngestSplitsTest {

    @Test
    void ingestThenSplitsAreExactAndDeterministic(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 12, 5));
        String out = "output.root=" + dir.resolve("runs");
        assertEquals(0, Main.execute("ingest", "--conf", conf.toString(), "--dataset", "toy", out, "run-id=i1",
                "spark.master=local[1]", "ingest.partitions=3"));

        String tables = dir.resolve("runs/tables").toString();
        {
            List<Row> rows = read(s -> s.read().parquet(tables + "/images").where("dataset = 'toy'").orderBy("id")
                    .collectAsList());
            assertEquals(3 * 12 + 3 * 5, rows.size());
            LabeledImages train = IdxReader.read(dir.resolve("toy/train-images.gz"), dir.resolve("toy/train-labels.gz"), 3);
            Row first = rows.stream().filter(r -> r.getAs("id").equals("toy/train/000004")).findFirst().orElseThrow();
            assertEquals(train.labels()[4], (int) first.getAs("label"));
            assertEquals(List.of("stripes", "dot", "frame").get(train.labels()[4]), first.getAs("class_name"));
            assertArrayEquals(train.images().get(4).pixels(), ImageRows.image(first).pixels(), "lossless images");
            try (var s = Files.list(dir.resolve("runs/tables/images"))) {
                assertEquals(List.of("dataset=toy"), s.map(p -> p.getFileName().toString()).toList(),
                        "no staging directory left");
            }

            assertEquals(0, Main.execute("splits", "--conf", conf.toString(), "--dataset", "toy", out, "run-id=s1",
                    "splits.shots=4", "splits.val-shots=2", "spark.master=local[1]"));
            List<Row> first1 = read(s -> splits(s, tables));
            assertEquals(3 * (3 * 4 + 3 * 2 + 15), first1.size(), "3 seeds × (train + val + test)");
            // Again with other partitioning and parallelism: identical ids.
            assertEquals(0, Main.execute("ingest", "--conf", conf.toString(), "--dataset", "toy", out, "run-id=i2",
                    "spark.master=local[2]", "ingest.partitions=1"));
            assertEquals(0, Main.execute("splits", "--conf", conf.toString(), "--dataset", "toy", out, "run-id=s2",
                    "splits.shots=4", "splits.val-shots=2", "spark.master=local[2]"));
            assertEquals(first1, read(s -> splits(s, tables)));
            Set<String> seed1 = ids(first1, 1);
            Set<String> seed2 = ids(first1, 2);
            assertNotEquals(seed1, seed2, "different seeds draw different shots");
            assertTrue(Files.isRegularFile(dir.resolve("runs/splits/s2/summary.json")));
        }
    }

    /** Reads with a session of its own: each CLI run stops the session it used. */
    private static <T> T read(java.util.function.Function<SparkSession, T> f) {
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", false)
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        try {
            return f.apply(spark);
        } finally {
            spark.stop();
        }
    }

    private static List<Row> splits(SparkSession spark, String tables) {
        return spark.read().parquet(tables + "/splits").where("dataset = 'toy' AND k = 4")
                .orderBy("seed", "split", "image_id").collectAsList();
    }

    private static Set<String> ids(List<Row> rows, int seed) {
        return rows.stream().filter(r -> (int) r.getAs("seed") == seed && r.getAs("split").equals("train"))
                .map(r -> (String) r.getAs("image_id")).collect(Collectors.toCollection(TreeSet::new));
    }
}
