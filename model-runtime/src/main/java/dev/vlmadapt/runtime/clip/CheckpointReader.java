package dev.vlmadapt.runtime.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a model directory (either {@link CheckpointLayout}) into a config and runtime-named weights. */
public final class CheckpointReader {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LISTED = 25;

    /** What a model directory holds. */
    public record Checkpoint(CheckpointLayout layout, ClipConfig config, ClipWeights weights) {
    }

    private CheckpointReader() {
    }

    /**
     * Detects the layout of {@code dir}, parses its config, reads and validates every tensor, and converts them
     * to fp32 runtime tensors on {@code manager}'s device.
     *
     * @param dir the model directory
     * @param manager becomes the owner of the loaded weights (its device is the model's device); closing the
     *     returned weights closes it
     * @return layout, config and weights
     * @throws CheckpointException naming the directory and everything that is wrong with it
     */
    public static Checkpoint read(Path dir, NDManager manager) throws CheckpointException {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("model directory " + dir + " does not exist");
        }
        CheckpointLayout layout = CheckpointLayout.detect(dir);
        if (layout == null) {
            throw new CheckpointException("model directory " + dir + " holds neither a Hugging Face CLIP "
                    + "(config.json + model.safetensors) nor an OpenCLIP model "
                    + "(open_clip_config.json + open_clip_model.safetensors)");
        }
        LOG.debug("{} has the {} layout", dir, layout);
        ClipConfig config = readConfig(dir, layout);
        NDManager staging = manager.newSubManager(ai.djl.Device.cpu());
        try {
            Map<String, NDArray> file = readSafetensors(dir.resolve(layout.weightsFile()), staging);
            List<TensorMapping> mappings = layout.mappings(config);
            validate(dir.resolve(layout.weightsFile()), layout, mappings, file);
            Map<String, NDArray> internal = new LinkedHashMap<>();
            for (TensorMapping m : mappings) {
                List<NDArray> parts = m.fileNames().stream().map(file::get).toList();
                NDArray t = m.toInternal(parts).toType(DataType.FLOAT32, false).toDevice(manager.getDevice(), false);
                internal.put(m.internal(), t);
            }
            return new Checkpoint(layout, config, new ClipWeights(manager, internal));
        } finally {
            staging.close();
        }
    }

    /**
     * Reads only the architecture of a model directory.
     *
     * @param dir the model directory
     * @param layout its layout
     * @return the config
     * @throws CheckpointException if the config cannot be read or is not supported
     */
    public static ClipConfig readConfig(Path dir, CheckpointLayout layout) throws CheckpointException {
        Path configPath = dir.resolve(layout.configFile());
        try {
            JsonNode root = JSON.readTree(configPath.toFile());
            Path pre = dir.resolve("preprocessor_config.json");
            JsonNode preprocessor = Files.isRegularFile(pre) ? JSON.readTree(pre.toFile()) : null;
            return layout.parseConfig(root, preprocessor);
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException("cannot read " + configPath + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, NDArray> readSafetensors(Path path, NDManager manager) throws CheckpointException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 20)) {
            NDList list = NDList.decode(manager, in);
            Map<String, NDArray> byName = new HashMap<>();
            for (NDArray a : list) {
                byName.put(a.getName(), a);
            }
            return byName;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("cannot read safetensors file " + path + ": " + e.getMessage(), e);
        }
    }

    private static void validate(Path file, CheckpointLayout layout, List<TensorMapping> mappings,
            Map<String, NDArray> found) throws CheckpointException {
        List<String> missing = new ArrayList<>();
        List<String> badShape = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (TensorMapping m : mappings) {
            for (int i = 0; i < m.fileNames().size(); i++) {
                String name = m.fileNames().get(i);
                Shape want = m.fileShapes().get(i);
                expected.add(name);
                NDArray a = found.get(name);
                if (a == null) {
                    missing.add(name + " " + want);
                } else if (!TensorMapping.accepts(want, a.getShape())) {
                    badShape.add(name + " has shape " + a.getShape() + ", expected " + want);
                }
            }
        }
        List<String> unexpected = found.keySet().stream()
                .filter(n -> !expected.contains(n) && !layout.isIgnorable(n)).sorted().toList();
        if (missing.isEmpty() && badShape.isEmpty() && unexpected.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder("checkpoint ").append(file)
                .append(" does not match its config (").append(layout.configFile()).append("):");
        section(msg, "missing tensors", missing);
        section(msg, "wrongly shaped tensors", badShape);
        section(msg, "unexpected tensors", unexpected);
        throw new CheckpointException(msg.toString());
    }

    private static void section(StringBuilder msg, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        msg.append("\n  ").append(items.size()).append(' ').append(title).append(':');
        items.stream().sorted().limit(MAX_LISTED).forEach(i -> msg.append("\n    ").append(i));
        if (items.size() > MAX_LISTED) {
            msg.append("\n    ... and ").append(items.size() - MAX_LISTED).append(" more");
        }
    }
}
