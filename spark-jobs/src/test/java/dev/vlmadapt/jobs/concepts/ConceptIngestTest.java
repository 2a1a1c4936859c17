package dev.vlmadapt.jobs.concepts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.jobs.TestSpark;
import dev.vlmadapt.jobs.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest of a concept dataset: rows named by style and code, failures listed, reruns byte-identical. */
class ConceptIngestTest {
    @Test
    void ingestNamesImagesByStyleAndListsWhatDidNotRender(@TempDir Path dir) throws Exception {
        String root = System.getenv("VLMADAPT_DATA");
        Path data = Path.of(root != null ? root : "../data").toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(data.resolve("npm/node_modules/openmoji")), "run `make data` (make test does)");
        Path conf = Files.writeString(dir.resolve("c.conf"), """
                vlmadapt.datasets.religious = ${vlmadapt.concepts.dataset} {
                  description = d, task = t, subcategories = [place-religious]
                  styles { train = [twitter], val = [google], test = [openmoji] } }
                """);
        String[] common = {"--conf", conf.toString(), "--dataset", "religious", "output.root=" + dir.resolve("runs"),
            "data.root=" + data, "spark.master=local[1]", "ingest.partitions=1"};
        assertEquals(0, Main.execute(concat("ingest", common, "run-id=a")));
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("runs/ingest/a/summary.json").toFile());
        assertEquals(6, summary.path("images").path("train").asInt());
        assertEquals(6, summary.path("images").path("val").asInt());
        assertEquals(5, summary.path("images").path("test").asInt());
        // The mosque's OpenMoji SVG has a <rect> without a width, which Batik refuses.
        String skipped = summary.path("skipped").path("test").get(0).asText();
        assertTrue(skipped.startsWith("openmoji 1F54C (") && skipped.contains("\"width\""), skipped);
        List<Row> first = rows(dir);
        assertEquals(17, first.size());
        Row church = first.stream().filter(r -> r.getAs("id").equals("religious/test/openmoji/26EA")).findFirst()
                .orElseThrow();
        assertEquals("church", church.getAs("class_name"));
        assertEquals(64, (int) church.getAs("width"));
        // Splits by style: the shot from the train style, validation from the val style, test untouched.
        assertEquals(0, Main.execute("splits", "--conf", conf.toString(), "--dataset", "religious",
                "output.root=" + dir.resolve("runs"), "data.root=" + data, "spark.master=local[1]", "run-id=s",
                "splits.shots=1", "splits.val-shots=1", "splits.seeds=[1]"));
        List<Row> splits = read(dir, "splits");
        assertEquals(6 + 6 + 5, splits.size());
        for (Row r : splits) {
            String id = r.getAs("image_id");
            String expected = switch ((String) r.getAs("split")) {
                case "train" -> "religious/train/twitter/";
                case "val" -> "religious/val/google/";
                default -> "religious/test/openmoji/";
            };
            assertTrue(id.startsWith(expected), r.toString());
        }
        // A rerun renders everything again: the same ids and the same PNG bytes.
        assertEquals(0, Main.execute(concat("ingest", common, "run-id=b")));
        List<Row> second = rows(dir);
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertEquals((String) first.get(i).getAs("id"), second.get(i).getAs("id"));
            assertArrayEquals((byte[]) first.get(i).getAs("image"), (byte[]) second.get(i).getAs("image"),
                    (String) first.get(i).getAs("id"));
        }
    }

    private static List<Row> rows(Path dir) {
        return read(dir, "images");
    }

    private static List<Row> read(Path dir, String table) {
        return TestSpark.with(spark -> spark.read().parquet(dir.resolve("runs/tables/" + table).toString())
                .orderBy(table.equals("images") ? "id" : "image_id").collectAsList());
    }

    private static String[] concat(String job, String[] args, String extra) {
        String[] out = new String[args.length + 2];
        out[0] = job;
        System.arraycopy(args, 0, out, 1, args.length);
        out[out.length - 1] = extra;
        return out;
    }
}
