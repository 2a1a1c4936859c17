package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.jobs.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jobs end to end through the CLI, on toy IDX data and the golden random tiny CLIP. */
class JobsTest {
    private static final Path GOLDEN_MODEL = Path.of("../model-runtime/src/test/resources/golden/tiny-quickgelu/hf");

    @Test
    void configLayersLaterWinsAndErrorsNameTheKey(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("user.conf");
        Files.writeString(conf, "seed = 5\nzero-shot.batch-size = 7\n");
        JobConfig c = JobConfig.load(conf, Map.of("seed", "9", "output.root", "s3a://bucket/x"));
        assertEquals(9, c.integer("seed", 0), "key=value beats --conf");
        assertEquals(7, c.integer("zero-shot.batch-size", 1), "--conf beats reference.conf");
        assertEquals("s3a://bucket/x", c.string("output.root"));
        assertEquals(c.string("model.dir"), c.string("pretrain-tiny.output"), "substitutions resolve after layering");
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.load(null, Map.of("seed", "abc")).integer("seed", 0));
        assertTrue(wrongType.getMessage().contains("vlmadapt.seed"), wrongType.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.load(null, Map.of("zero-shot.batchsize", "3")));
        assertTrue(unknown.getMessage().contains("vlmadapt.zero-shot.batchsize"), unknown.getMessage());
        IllegalArgumentException badType = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.load(null, Map.of("zero-shot.batch-size", "many")));
        assertTrue(badType.getMessage().contains("zero-shot.batch-size"), badType.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.load(null, Map.of("zero-shot.batch-size", "0")).integer("zero-shot.batch-size", 1));
        assertTrue(range.getMessage().contains("expected >= 1"), range.getMessage());
    }

    @Test
    void zeroShotWritesSummaryAndPrintsTable(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 4, 5));
        Path out = dir.resolve("runs");
        int code = Main.execute("zero-shot", "--conf", conf.toString(), "--model", GOLDEN_MODEL.toString(),
                "--dataset", "toy", "output.root=" + out, "run-id=t1");
        assertEquals(0, code);
        JsonNode s = new ObjectMapper().readTree(out.resolve("zero-shot/t1/summary.json").toFile());
        for (String key : List.of("top1", "top5", "n", "model", "dataset", "wall_seconds", "config_hash", "seed")) {
            assertTrue(s.has(key), "summary has " + key + ": " + s);
        }
        assertEquals(15, s.get("n").asInt());
        assertEquals("toy", s.get("dataset").asText());
        assertEquals(1.0, s.get("top5").asDouble(), "3 classes: everything is in the top 5");
        // The same run id again is refused and leaves the first run as it was.
        assertEquals(1, Main.execute("zero-shot", "--conf", conf.toString(), "--model", GOLDEN_MODEL.toString(),
                "--dataset", "toy", "output.root=" + out, "run-id=t1"));
    }

    @Test
    void zeroShotRefusesANaNModelNamingModelAndDataset(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 4, 5));
        Path model = dir.resolve("nan-model");
        Files.createDirectories(model);
        for (String f : List.of("config.json", "tokenizer.json")) {
            Files.copy(GOLDEN_MODEL.resolve(f), model.resolve(f));
        }
        // The model pretraining once wrote: one NaN weight is enough to make every score NaN.
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            NDList tensors;
            try (var in = Files.newInputStream(GOLDEN_MODEL.resolve("model.safetensors"))) {
                tensors = NDList.decode(m, in);
            }
            NDList out = new NDList();
            for (NDArray a : tensors) {
                NDArray b = a.getName().equals("visual_projection.weight") ? a.mul(Float.NaN) : a;
                b.setName(a.getName());
                out.add(b);
            }
            try (var os = Files.newOutputStream(model.resolve("model.safetensors"))) {
                out.encode(os, NDList.Encoding.SAFETENSORS);
            }
        }
        Path out = dir.resolve("runs");
        CliRun run = CliRun.of("zero-shot", "--conf", conf.toString(), "--model", model.toString(), "--dataset", "toy",
                "output.root=" + out, "run-id=nan");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.err().contains("model " + model + " gives non-finite class scores on toy/test"), run.err());
        assertFalse(Files.exists(out.resolve("zero-shot/nan/summary.json")), "no accuracy is written");
    }

    @Test
    void failedJobLeavesNoOutput(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 2, 2));
        Files.delete(dir.resolve("toy/test-labels.gz"));
        Path out = dir.resolve("runs");
        assertEquals(1, Main.execute("zero-shot", "--conf", conf.toString(), "--model", GOLDEN_MODEL.toString(),
                "--dataset", "toy", "output.root=" + out, "run-id=bad"));
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.walk(out)) {
                assertFalse(s.anyMatch(Files::isRegularFile), "no files left after a failed run");
            }
        }
        assertFalse(Files.exists(out.resolve("zero-shot/bad")));
    }

    @Test
    void unknownDatasetIsAUsageError() {
        assertEquals(2, Main.execute("zero-shot", "--dataset", "nope", "--model", GOLDEN_MODEL.toString()));
    }

    /** A toy dataset (40 training images per class) and a very small architecture to pretrain on it. */
    private static Path toyPretraining(Path dir, int testPerClass, int epochs, String learningRate, int warmup)
            throws IOException {
        Path conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 40, testPerClass)
                + "vlmadapt.pretrain-tiny { datasets = [toy], evaluate = [toy], epochs = " + epochs + ", batch-size = 24,\n"
                + "  learning-rate = " + learningRate + ", warmup-steps = " + warmup + ",\n"
                + "  architecture { image-size = 28, patch-size = 7, vision-width = 32, vision-layers = 1,\n"
                + "    vision-heads = 2, text-width = 32, text-layers = 1, text-heads = 2, context-length = 16,\n"
                + "    projection-dim = 16 } }\n");
        return conf;
    }

    @Test
    void pretrainTinyTrainsWritesAndReloads(@TempDir Path dir) throws IOException {
        Path conf = toyPretraining(dir, 10, 6, "3e-3", 5);
        Path model = dir.resolve("model");
        Path out = dir.resolve("runs");
        assertEquals(0, Main.execute("pretrain-tiny", "--conf", conf.toString(), "--output", model.toString(),
                "output.root=" + out, "run-id=p"));
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "preprocessor_config.json")) {
            assertTrue(Files.isRegularFile(model.resolve(f)), f);
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("pretrain-tiny/p/summary.json").toFile());
        double top1 = s.at("/zero_shot/toy/top1").asDouble();
        assertTrue(top1 >= 0.9, "toy zero-shot top-1 after pretraining: " + top1);
        assertEquals(0, s.get("recomputed_steps").asInt(), "no transient fault in this run");
        // The written model works with the zero-shot job.
        assertEquals(0, Main.execute("zero-shot", "--conf", conf.toString(), "--model", model.toString(),
                "--dataset", "toy", "output.root=" + out, "run-id=z"));
    }

    @Test
    void pretrainingThatDivergesFailsAndWritesNoModel(@TempDir Path dir) throws IOException {
        Path conf = toyPretraining(dir, 2, 2, "1e30", 0);
        Path model = dir.resolve("model");
        Path out = dir.resolve("runs");
        CliRun run = CliRun.of("pretrain-tiny", "--conf", conf.toString(), "--output", model.toString(),
                "output.root=" + out, "run-id=nan");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.err().contains("pretraining diverged at step 2"), run.err());
        assertFalse(Files.exists(model), "no model is written");
        assertFalse(Files.exists(out.resolve("pretrain-tiny/nan/summary.json")), "no summary is written");
    }
}
