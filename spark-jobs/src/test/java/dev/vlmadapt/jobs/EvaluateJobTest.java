package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.jobs.hub.RankingTable;
import dev.vlmadapt.runtime.hub.Ranking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate: a 2 × 2 grid into the ranking table, resumed, recomputed, and a broken model refused cleanly. */
class EvaluateJobTest {
    @TempDir
    Path dir;

    @Test
    void gridFillsTheTableResumesRecomputesAndRefusesABrokenModel() throws Exception {
        Path conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 4, 6)
                + "vlmadapt.datasets.toy-mirror = ${vlmadapt.datasets.toy} { transform { mirror = true } }\n");
        Path m1 = TinyModels.random(dir.resolve("models/m1"), 16, 1);
        Path m2 = TinyModels.random(dir.resolve("models/m2"), 16, 2);
        String[] grid = {"--conf", conf.toString(), "output.root=" + dir.resolve("runs"), "spark.master=local[2]",
            "threads=1", "evaluate.models=[\"" + m1 + "\", \"" + m2 + "\"]", "evaluate.datasets=[toy, toy-mirror]"};
        CliRun first = CliRun.of(concat(grid, "run-id=e1"));
        assertEquals(0, first.code(), first.all());
        JsonNode s1 = summary("e1");
        assertEquals(4, s1.path("evaluated").asInt());
        assertEquals(1 / 3.0, s1.path("results").get(0).path("largest_class_share").asDouble(), 1e-12);
        JsonNode executor = s1.path("executors").get(0);
        assertEquals(4, executor.path("tasks").asInt());
        assertEquals(2, executor.path("model_loads").asInt(), "each model loaded once in this JVM");
        List<Ranking> table = table();
        assertEquals(4, table.size());
        for (Ranking r : table) {
            assertEquals(18, r.n());
            assertTrue(r.top1() >= 0 && r.top1() <= 1 && r.top5() == 1.0, r.toString());   // 3 classes: top-5 = 1
            assertTrue(r.meanPerClassRecall() >= 0 && r.templatesHash().length() == 16);
        }

        // The grid view of the table: both models × both datasets, the toy test split's classes equally large.
        CliRun rank = CliRun.of("rank", "--conf", conf.toString(), "output.root=" + dir.resolve("runs"),
                "spark.master=local[1]", "rank.grid=true");
        assertEquals(0, rank.code(), rank.all());
        assertTrue(rank.all().contains("| model | toy | toy-mirror |"), rank.all());
        assertTrue(rank.all().contains("| *largest class* | *33.3* | *33.3* |"), rank.all());
        assertTrue(rank.all().contains("different winners over 2 datasets"), rank.all());

        CliRun again = CliRun.of(concat(grid, "run-id=e2"));
        assertEquals(0, again.code(), again.all());
        assertEquals(0, summary("e2").path("evaluated").asInt(), "pairs in the table are skipped");
        assertEquals(table, table());

        CliRun recompute = CliRun.of(concat(grid, "run-id=e3", "evaluate.recompute=true"));
        assertEquals(0, recompute.code(), recompute.all());
        assertEquals(4, summary("e3").path("evaluated").asInt());
        List<Ranking> redone = table();
        for (int i = 0; i < 4; i++) {
            assertEquals(table.get(i).top1(), redone.get(i).top1(), "deterministic");
            assertEquals(table.get(i).meanPerClassRecall(), redone.get(i).meanPerClassRecall());
        }

        Path broken = Files.createDirectories(dir.resolve("models/broken"));
        for (String f : new String[] {"config.json", "tokenizer.json", "preprocessor_config.json"}) {
            Files.copy(m1.resolve(f), broken.resolve(f));
        }
        byte[] weights = Files.readAllBytes(m1.resolve("model.safetensors"));
        Files.write(broken.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        CliRun bad = CliRun.of("evaluate", "--conf", conf.toString(), "output.root=" + dir.resolve("runs"),
                "spark.master=local[2]", "threads=1", "evaluate.models=[\"" + broken + "\"]",
                "evaluate.datasets=[toy]", "run-id=e4");
        assertNotEquals(0, bad.code());
        assertTrue(bad.all().contains(broken.toString()) || bad.all().contains("broken"), bad.all());
        assertEquals(redone, table(), "nothing partial in the table");
    }

    @Test
    void imageFeaturesComeFromTheFeatureTableWhenItHoldsTheWholeSplit() throws Exception {
        Path conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 4, 6));
        Path m1 = TinyModels.random(dir.resolve("models/m1"), 16, 1);
        Path m2 = TinyModels.random(dir.resolve("models/m2"), 16, 2);
        String[] common = {"--conf", conf.toString(), "output.root=" + dir.resolve("runs"), "spark.master=local[2]",
            "threads=1"};
        String[] grid = join(new String[] {"evaluate"}, common, new String[] {"evaluate.models=[\"" + m1 + "\"]",
            "evaluate.datasets=[toy]", "evaluate.recompute=true"});
        CliRun encoded = CliRun.of(join(grid, new String[] {"run-id=f1"}));
        assertEquals(0, encoded.code(), encoded.all());
        assertEquals(0, summary("f1").path("from_stored_features").asInt());
        Ranking fromImages = table().get(0);

        // The features job stores m1's features of the test split under its name: evaluate then only encodes text.
        String[] shots = {"--dataset", "toy", "splits.shots=2", "splits.val-shots=1", "features.shots=2"};
        CliRun splits = CliRun.of(join(new String[] {"splits"}, common, shots, new String[] {"run-id=s1"}));
        assertEquals(0, splits.code(), splits.all());
        CliRun features = CliRun.of(join(new String[] {"features"}, common, shots,
                new String[] {"run-id=x1", "model.dir=" + m1}));
        assertEquals(0, features.code(), features.all());
        CliRun stored = CliRun.of(join(grid, new String[] {"run-id=f2"}));
        assertEquals(0, stored.code(), stored.all());
        assertEquals(1, summary("f2").path("from_stored_features").asInt(), stored.all());
        assertEquals("feature table", summary("f2").path("results").get(0).path("image_features").asText());
        Ranking fromFeatures = table().get(0);
        assertEquals(fromImages.top1(), fromFeatures.top1(), 1e-9);
        assertEquals(fromImages.meanPerClassRecall(), fromFeatures.meanPerClassRecall(), 1e-9);
        assertEquals(fromImages.n(), fromFeatures.n());
        assertTrue(fromFeatures.paramsM() > 0 && fromFeatures.gflops() > 0, fromFeatures.toString());

        // Proof that the stored ones are read: with NaN written into them, the pair fails as a broken model would.
        Path part = dir.resolve("runs/tables/features/model=m1/dataset=toy/k=2/split=test");
        Path nan = dir.resolve("nan-features");
        TestSpark.with(s -> {
            s.read().parquet(part.toString()).withColumn("feature", org.apache.spark.sql.functions.transform(
                    org.apache.spark.sql.functions.col("feature"),
                    x -> org.apache.spark.sql.functions.lit(Float.NaN))).coalesce(1).write().parquet(nan.toString());
            return null;
        });
        try (var files = Files.list(part)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        try (var files = Files.list(nan)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
                Files.move(f, part.resolve(f.getFileName()));
            }
        }
        CliRun poisoned = CliRun.of(join(grid, new String[] {"run-id=f3"}));
        assertNotEquals(0, poisoned.code());
        assertTrue(poisoned.all().contains("m1") && poisoned.all().contains("toy/test"), poisoned.all());
        assertEquals(List.of(fromFeatures), table(), "the table as it was");
    }

    private static String[] join(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    private JsonNode summary(String run) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("runs/evaluate/" + run + "/summary.json").toFile());
    }

    private List<Ranking> table() throws Exception {
        return TestSpark.with(s -> {
            try {
                return RankingTable.readAll(new TableStore(s, dir.resolve("runs/tables").toString())).stream()
                        .sorted(Comparator.comparing(Ranking::model).thenComparing(Ranking::dataset)).toList();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static String[] concat(String[] a, String... more) {
        String[] out = new String[a.length + more.length + 1];
        out[0] = "evaluate";
        System.arraycopy(a, 0, out, 1, a.length);
        System.arraycopy(more, 0, out, 1 + a.length, more.length);
        return out;
    }
}
