package dev.vlmadapt.runtime.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlmadapt.runtime.io.StagedDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a model directory in either {@link CheckpointLayout}. The directory appears complete or not at all
 * ({@link StagedDirectory}).
 */
public final class CheckpointWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointWriter() {
    }

    /**
     * @param config the architecture
     * @param weights tensors matching {@code config}
     * @param tokenizerJson the vocabulary's {@code tokenizer.json}, copied into the directory
     * @param sotId start-of-text id
     * @param eotId end-of-text id
     * @param layout the layout to write
     * @param dir the model directory to create; must not exist yet
     * @throws IOException if writing fails or {@code dir} exists
     */
    public static void write(ClipConfig config, ClipWeights weights, Path tokenizerJson, int sotId, int eotId,
            CheckpointLayout layout, Path dir) throws IOException {
        try (StagedDirectory staged = StagedDirectory.create(dir)) {
            Path tmp = staged.work();
            ObjectNode cfg = layout.writeConfig(config, JSON, sotId, eotId);
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(layout.configFile()).toFile(), cfg);
            if (layout == CheckpointLayout.HUGGING_FACE) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(
                        tmp.resolve("preprocessor_config.json").toFile(), preprocessorConfig(config));
            }
            Files.copy(tokenizerJson, tmp.resolve("tokenizer.json"));
            try (NDManager m = weights.manager().newSubManager();
                    OutputStream out = Files.newOutputStream(tmp.resolve(layout.weightsFile()))) {
                NDList list = new NDList();
                for (TensorMapping mapping : layout.mappings(config)) {
                    NDArray t = weights.get(mapping.internal());
                    List<NDArray> parts = mapping.toFile(t);
                    for (int i = 0; i < parts.size(); i++) {
                        NDArray p = parts.get(i).toDevice(ai.djl.Device.cpu(), true);
                        p.attach(m);
                        p.setName(mapping.fileNames().get(i));
                        list.add(p);
                    }
                }
                list.encode(out, NDList.Encoding.SAFETENSORS);
            }
            staged.commit();
        }
    }

    private static ObjectNode preprocessorConfig(ClipConfig c) {
        ObjectNode p = JSON.createObjectNode();
        p.put("image_processor_type", "CLIPImageProcessor");
        p.put("do_resize", true);
        p.putObject("size").put("shortest_edge", c.imageSize());
        p.put("resample", 3); // bicubic
        p.put("do_center_crop", true);
        p.putObject("crop_size").put("height", c.imageSize()).put("width", c.imageSize());
        p.put("do_normalize", true);
        float[] mean = c.imageMean();
        float[] std = c.imageStd();
        for (int i = 0; i < 3; i++) {
            p.withArray("image_mean").add(mean[i]);
            p.withArray("image_std").add(std[i]);
        }
        return p;
    }
}
