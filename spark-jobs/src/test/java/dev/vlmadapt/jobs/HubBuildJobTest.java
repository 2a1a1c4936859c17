package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.runtime.clip.ClipModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hub-build: a two-model hub on toy data, one Spark task each, cards written, built models kept on a rerun. */
class HubBuildJobTest {
    @TempDir
    Path dir;

    @Test
    void buildsTheMissingModelsWithCardsAndKeepsTheBuiltOnes() throws Exception {
        String tiny = TinyModels.hubRecipe(2);
        Path conf = dir.resolve("hub.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 8, 2)
                + "vlmadapt.hub.models {\n  small-a { " + tiny + " }\n"
                + "  small-b { " + tiny.replace("epochs = 2", "epochs = 1, seed = 7, augmentation.enabled = true")
                + " }\n}\n");
        Path root = dir.resolve("hub");
        // Only the test's models: the hub declared in reference.conf is merged in too.
        String[] args = {"hub-build", "--conf", conf.toString(), "output.root=" + dir.resolve("runs"),
            "hub.root=" + root, "spark.master=local[2]", "threads=1", "hub.only=[small-a, small-b]"};
        CliRun first = CliRun.of(with(args, "run-id=h1"));
        assertEquals(0, first.code(), first.all());
        for (String name : List.of("small-a", "small-b")) {
            JsonNode card = new ObjectMapper().readTree(root.resolve(name).resolve("card.json").toFile());
            assertEquals(name, card.get("name").asText());
            assertEquals(24, card.get("data_mix").get("toy").asInt());
            assertTrue(card.get("parameters").asLong() > 1000 && card.get("gflops_image").asDouble() > 0, card.toString());
            assertEquals(name.equals("small-a") ? 2 : 1, card.get("learning_curve").size());
            try (ClipModel model = ClipModel.load(root.resolve(name), Device.cpu())) {
                assertEquals(16, model.config().projectionDim());
            }
        }
        assertTrue(new ObjectMapper().readTree(root.resolve("small-b/card.json").toFile()).get("augmentation")
                .asBoolean());
        try (var listing = Files.list(root)) {
            assertEquals(List.of("small-a", "small-b"), listing.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no staging folder left");
        }

        byte[] weightsA = Files.readAllBytes(root.resolve("small-a/model.safetensors"));
        Files.delete(root.resolve("small-b/card.json"));        // as if b's build had been interrupted
        CliRun again = CliRun.of(with(args, "run-id=h2"));
        assertEquals(0, again.code(), again.all());
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("runs/hub-build/h2/summary.json").toFile());
        assertEquals(List.of("small-a"), List.of(summary.get("kept").get(0).asText()));
        assertEquals(1, summary.get("built").size());
        assertEquals(1, summary.get("executors").get(0).get("tasks").asInt(), "the one training reported where it ran");
        assertEquals("small-b", summary.get("built").get(0).get("name").asText());
        assertTrue(java.util.Arrays.equals(weightsA, Files.readAllBytes(root.resolve("small-a/model.safetensors"))),
                "a built model is kept as it is");
        assertTrue(Files.isRegularFile(root.resolve("small-b/card.json")));

        Path typo = dir.resolve("typo.conf");
        Files.writeString(typo, Files.readString(conf) + "vlmadapt.hub.models.small-c.pretrain-tiny.epoch = 3\n");
        CliRun bad = CliRun.of("hub-build", "--conf", typo.toString(), "output.root=" + dir.resolve("runs"),
                "hub.root=" + root, "spark.master=local[1]", "run-id=h3", "hub.only=[small-c]");
        assertEquals(2, bad.code());
        assertTrue(bad.all().contains("vlmadapt.hub.models.small-c: unknown keys [pretrain-tiny.epoch]"), bad.all());
    }

    private static String[] with(String[] args, String extra) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = extra;
        return out;
    }
}
