package dev.vlmadapt.runtime.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.runtime.Goldens;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final Path HF = Goldens.dir().resolve("tiny-quickgelu/hf");

    @Test
    void reportsEveryMissingUnexpectedAndMisshapenTensorAtOnce(@TempDir Path tmp) throws IOException {
        Path dir = copy(HF, tmp.resolve("broken"));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> t = Goldens.read(dir.resolve("model.safetensors"), m);
            t.remove("text_model.final_layer_norm.bias");
            t.put("text_model.extra.weight", m.zeros(new Shape(3)));
            t.put("visual_projection.weight", m.zeros(new Shape(24, 47)));
            write(t, dir.resolve("model.safetensors"));
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> ClipModel.load(dir, Device.cpu()));
        String msg = e.getMessage();
        assertTrue(msg.contains(dir.resolve("model.safetensors").toString()), msg);
        assertTrue(msg.contains("1 missing tensors:") && msg.contains("text_model.final_layer_norm.bias (32)"), msg);
        assertTrue(msg.contains("1 unexpected tensors:") && msg.contains("text_model.extra.weight"), msg);
        assertTrue(msg.contains("visual_projection.weight has shape (24, 47), expected (24, 48)"), msg);
    }

    @Test
    void oneElementLogitScaleIsAcceptedAsTheScalarAndOnlyThere(@TempDir Path tmp) throws IOException {
        Path dir = copy(HF, tmp.resolve("shape1"));
        float scale;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> t = Goldens.read(dir.resolve("model.safetensors"), m);
            assertEquals(new Shape(), t.get("logit_scale").getShape(), "the golden stores a scalar");
            scale = t.get("logit_scale").getFloat();
            t.put("logit_scale", t.get("logit_scale").reshape(1));
            write(t, dir.resolve("model.safetensors"));
        }
        try (ClipModel reloaded = ClipModel.load(dir, Device.cpu()); ClipModel original = ClipModel.load(HF, Device.cpu())) {
            // The loaded scalar must own its memory: a view of the file tensor would read freed memory once the
            // reader's buffers are collected and reused (seen with DJL's PyTorch engine).
            for (int i = 0; i < 10; i++) {
                System.gc();
                java.nio.ByteBuffer junk = java.nio.ByteBuffer.allocateDirect(1 << 16);
                for (int j = 0; j < junk.capacity(); j += 4) {
                    junk.putFloat(j, 1e30f);
                }
            }
            assertEquals(scale, reloaded.weights().get(ClipTensors.LOGIT_SCALE).getFloat(), 0f);
            assertEquals(original.logitScale(), reloaded.logitScale(), 0f);
            assertEquals((float) Math.exp(scale), reloaded.logitScale(), 1e-5f);
        }
        // Elsewhere a one-element tensor is not a stand-in: a (1) bias where (32) is expected stays an error, and
        // so does a (1, 1) logit scale.
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> t = Goldens.read(dir.resolve("model.safetensors"), m);
            t.put("logit_scale", t.get("logit_scale").reshape(1, 1));
            t.put("text_model.final_layer_norm.bias", m.zeros(new Shape(1)));
            write(t, dir.resolve("model.safetensors"));
        }
        String msg = assertThrows(CheckpointException.class, () -> ClipModel.load(dir, Device.cpu())).getMessage();
        assertTrue(msg.contains("logit_scale has shape (1, 1), expected ()"), msg);
        assertTrue(msg.contains("text_model.final_layer_norm.bias has shape (1), expected (32)"), msg);
    }

    @Test
    void directoryWithoutCheckpointSaysWhatWasLookedFor(@TempDir Path tmp) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> ClipModel.load(tmp, Device.cpu()));
        assertTrue(e.getMessage().contains("config.json + model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("open_clip_config.json"), e.getMessage());
    }

    @Test
    void unsupportedOpenClipOptionIsRejectedByName(@TempDir Path tmp) throws IOException {
        Path dir = copy(Goldens.dir().resolve("tiny-quickgelu/openclip"), tmp.resolve("oc"));
        Path cfg = dir.resolve("open_clip_config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"patch_size\": 8", "\"patch_size\": 8, \"ls_init_value\": 0.1"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> ClipModel.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("model_cfg.vision_cfg.ls_init_value"), e.getMessage());
    }

    @Test
    void writtenCheckpointsReloadToIdenticalOutputs(@TempDir Path tmp) throws IOException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                ClipModel original = ClipModel.load(HF, Device.cpu())) {
            List<String> texts = List.of("a photo of a cat.", "the big dog");
            NDArray images = m.randomNormal(new Shape(2, 3, 32, 32));
            float[] text = original.encodeText(texts, m).toFloatArray();
            float[] image = original.encodeImages(images, m).toFloatArray();
            for (CheckpointLayout layout : CheckpointLayout.values()) {
                Path out = tmp.resolve(layout.name());
                CheckpointWriter.write(original.config(), original.weights(), HF.resolve("tokenizer.json"),
                        (int) original.tokenizer().sotId(), (int) original.tokenizer().eotId(), layout, out);
                assertFalse(Files.list(tmp).anyMatch(p -> p.getFileName().toString().startsWith(".")),
                        "no temporary directory left");
                try (ClipModel reloaded = ClipModel.load(out, Device.cpu())) {
                    assertEquals(original.config(), reloaded.config(), layout + " config");
                    assertEquals(0, maxDiff(text, reloaded.encodeText(texts, m).toFloatArray()), layout + " text");
                    assertEquals(0, maxDiff(image, reloaded.encodeImages(images, m).toFloatArray()), layout + " image");
                }
            }
            IOException e = assertThrows(IOException.class, () -> CheckpointWriter.write(original.config(),
                    original.weights(), HF.resolve("tokenizer.json"), 0, 1, CheckpointLayout.HUGGING_FACE,
                    tmp.resolve(CheckpointLayout.HUGGING_FACE.name())));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    private static void write(Map<String, NDArray> tensors, Path file) throws IOException {
        NDList list = new NDList();
        tensors.forEach((name, a) -> {
            a.setName(name);
            list.add(a);
        });
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }
}
