package dev.vlmadapt.runtime.clip;

import static dev.vlmadapt.runtime.clip.ClipTensors.*;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The two checkpoint layouts CLIP users have: Hugging Face {@code CLIPModel} and OpenCLIP. Each knows its file
 * names, how to read its config, and how its tensor names map onto the runtime's ({@link ClipTensors}).
 */
public enum CheckpointLayout {
    /** {@code config.json} + {@code model.safetensors} with {@code transformers.CLIPModel} names. */
    HUGGING_FACE("config.json", "model.safetensors") {
        @Override
        ClipConfig parseConfig(JsonNode root, JsonNode preprocessor) {
            JsonNode t = root.path("text_config");
            JsonNode v = root.path("vision_config");
            if (v.path("num_channels").asInt(3) != 3) {
                throw new IllegalArgumentException("vision_config.num_channels must be 3");
            }
            int tw = t.path("hidden_size").asInt(512);
            int vw = v.path("hidden_size").asInt(768);
            TowerConfig text = new TowerConfig(tw, t.path("num_hidden_layers").asInt(12),
                    t.path("num_attention_heads").asInt(8), t.path("intermediate_size").asInt(4 * tw),
                    Activation.fromConfigName(t.path("hidden_act").asText("quick_gelu")),
                    (float) t.path("layer_norm_eps").asDouble(1e-5));
            TowerConfig vision = new TowerConfig(vw, v.path("num_hidden_layers").asInt(12),
                    v.path("num_attention_heads").asInt(12), v.path("intermediate_size").asInt(4 * vw),
                    Activation.fromConfigName(v.path("hidden_act").asText("quick_gelu")),
                    (float) v.path("layer_norm_eps").asDouble(1e-5));
            ClipConfig.Builder b = ClipConfig.builder()
                    .setText(text, t.path("vocab_size").asInt(49408))
                    .optContextLength(t.path("max_position_embeddings").asInt(77))
                    .setVision(vision, v.path("image_size").asInt(224), v.path("patch_size").asInt(32))
                    .setProjectionDim(root.path("projection_dim").asInt(512));
            if (preprocessor != null && preprocessor.has("image_mean") && preprocessor.has("image_std")) {
                b.optNormalization(floats(preprocessor.get("image_mean")), floats(preprocessor.get("image_std")));
            }
            return b.build();
        }

        @Override
        public List<TensorMapping> mappings(ClipConfig c) {
            List<TensorMapping> m = new ArrayList<>();
            int tw = c.text().width();
            int vw = c.vision().width();
            m.add(TensorMapping.same(TOKEN_EMBEDDING, "text_model.embeddings.token_embedding.weight",
                    new Shape(c.vocabSize(), tw)));
            m.add(TensorMapping.same(TEXT_POSITION_EMBEDDING, "text_model.embeddings.position_embedding.weight",
                    new Shape(c.contextLength(), tw)));
            hfBlocks(m, TEXT, "text_model.encoder.layers.", c.text());
            layerNorm(m, TEXT_FINAL_LN, "text_model.final_layer_norm", tw);
            m.add(TensorMapping.same(TEXT_PROJECTION, "text_projection.weight", new Shape(c.projectionDim(), tw)));

            m.add(TensorMapping.same(CLASS_EMBEDDING, "vision_model.embeddings.class_embedding", new Shape(vw)));
            m.add(TensorMapping.same(PATCH_EMBEDDING, "vision_model.embeddings.patch_embedding.weight",
                    new Shape(vw, 3, c.patchSize(), c.patchSize())));
            m.add(TensorMapping.same(VISION_POSITION_EMBEDDING, "vision_model.embeddings.position_embedding.weight",
                    new Shape(c.numPatches() + 1, vw)));
            layerNorm(m, VISION_PRE_LN, "vision_model.pre_layrnorm", vw); // sic: HF's spelling
            hfBlocks(m, VISION, "vision_model.encoder.layers.", c.vision());
            layerNorm(m, VISION_POST_LN, "vision_model.post_layernorm", vw);
            m.add(TensorMapping.same(VISION_PROJECTION, "visual_projection.weight",
                    new Shape(c.projectionDim(), vw)));
            m.add(TensorMapping.same(LOGIT_SCALE, "logit_scale", new Shape()));
            return m;
        }

        @Override
        boolean isIgnorable(String fileName) {
            // Older transformers versions saved these index buffers.
            return fileName.endsWith("embeddings.position_ids");
        }

        @Override
        ObjectNode writeConfig(ClipConfig c, ObjectMapper json, int bosId, int eosId) {
            ObjectNode root = json.createObjectNode();
            root.putArray("architectures").add("CLIPModel");
            root.put("model_type", "clip");
            root.put("projection_dim", c.projectionDim());
            root.put("logit_scale_init_value", 2.6592);
            ObjectNode t = root.putObject("text_config");
            tower(t, c.text());
            t.put("vocab_size", c.vocabSize());
            t.put("max_position_embeddings", c.contextLength());
            t.put("bos_token_id", bosId);
            t.put("eos_token_id", eosId);
            t.put("pad_token_id", eosId);
            t.put("projection_dim", c.projectionDim());
            ObjectNode v = root.putObject("vision_config");
            tower(v, c.vision());
            v.put("image_size", c.imageSize());
            v.put("patch_size", c.patchSize());
            v.put("num_channels", 3);
            v.put("projection_dim", c.projectionDim());
            return root;
        }
    },

    /** {@code open_clip_config.json} + {@code open_clip_model.safetensors} with OpenCLIP names. */
    OPEN_CLIP("open_clip_config.json", "open_clip_model.safetensors") {
        @Override
        ClipConfig parseConfig(JsonNode root, JsonNode preprocessor) {
            JsonNode model = root.has("model_cfg") ? root.get("model_cfg") : root;
            JsonNode t = model.path("text_cfg");
            JsonNode v = model.path("vision_cfg");
            rejectUnsupported(t, "model_cfg.text_cfg");
            rejectUnsupported(v, "model_cfg.vision_cfg");
            String textPool = t.path("pool_type").asText("argmax");
            if (!textPool.equals("argmax") && !textPool.equals("eos")) {
                throw new IllegalArgumentException("model_cfg.text_cfg.pool_type '" + textPool
                        + "' is not supported; expected argmax (pooling at the end-of-text token)");
            }
            String visionPool = v.path("pool_type").asText("tok");
            if (!visionPool.equals("tok")) {
                throw new IllegalArgumentException("model_cfg.vision_cfg.pool_type '" + visionPool
                        + "' is not supported; expected tok (the class token)");
            }
            Activation act = model.path("quick_gelu").asBoolean(false) ? Activation.QUICK_GELU : Activation.GELU;
            int tw = t.path("width").asInt(512);
            int vw = v.path("width").asInt(768);
            TowerConfig text = new TowerConfig(tw, t.path("layers").asInt(12), t.path("heads").asInt(8),
                    (int) Math.round(tw * t.path("mlp_ratio").asDouble(4.0)), act, 1e-5f);
            TowerConfig vision = new TowerConfig(vw, v.path("layers").asInt(12),
                    vw / v.path("head_width").asInt(64),
                    (int) Math.round(vw * v.path("mlp_ratio").asDouble(4.0)), act, 1e-5f);
            ClipConfig.Builder b = ClipConfig.builder()
                    .setText(text, t.path("vocab_size").asInt(49408))
                    .optContextLength(t.path("context_length").asInt(77))
                    .setVision(vision, squareSize(v.path("image_size"), 224), v.path("patch_size").asInt(16))
                    .setProjectionDim(model.path("embed_dim").asInt(512));
            JsonNode pre = root.has("preprocess_cfg") ? root.get("preprocess_cfg") : preprocessor;
            if (pre != null && pre.has("mean") && pre.has("std")) {
                b.optNormalization(floats(pre.get("mean")), floats(pre.get("std")));
            }
            return b.build();
        }

        @Override
        public List<TensorMapping> mappings(ClipConfig c) {
            List<TensorMapping> m = new ArrayList<>();
            int tw = c.text().width();
            int vw = c.vision().width();
            m.add(TensorMapping.same(TOKEN_EMBEDDING, "token_embedding.weight", new Shape(c.vocabSize(), tw)));
            m.add(TensorMapping.same(TEXT_POSITION_EMBEDDING, "positional_embedding",
                    new Shape(c.contextLength(), tw)));
            openClipBlocks(m, TEXT, "transformer.resblocks.", c.text());
            layerNorm(m, TEXT_FINAL_LN, "ln_final", tw);
            m.add(TensorMapping.transposed(TEXT_PROJECTION, "text_projection", new Shape(tw, c.projectionDim())));

            m.add(TensorMapping.same(CLASS_EMBEDDING, "visual.class_embedding", new Shape(vw)));
            m.add(TensorMapping.same(PATCH_EMBEDDING, "visual.conv1.weight",
                    new Shape(vw, 3, c.patchSize(), c.patchSize())));
            m.add(TensorMapping.same(VISION_POSITION_EMBEDDING, "visual.positional_embedding",
                    new Shape(c.numPatches() + 1, vw)));
            layerNorm(m, VISION_PRE_LN, "visual.ln_pre", vw);
            openClipBlocks(m, VISION, "visual.transformer.resblocks.", c.vision());
            layerNorm(m, VISION_POST_LN, "visual.ln_post", vw);
            m.add(TensorMapping.transposed(VISION_PROJECTION, "visual.proj", new Shape(vw, c.projectionDim())));
            m.add(TensorMapping.same(LOGIT_SCALE, "logit_scale", new Shape()));
            return m;
        }

        @Override
        boolean isIgnorable(String fileName) {
            // Non-persistent buffers that some exports still contain.
            return fileName.equals("attn_mask") || fileName.equals("input_resolution")
                    || fileName.equals("context_length") || fileName.equals("vocab_size");
        }

        @Override
        ObjectNode writeConfig(ClipConfig c, ObjectMapper json, int bosId, int eosId) {
            ObjectNode root = json.createObjectNode();
            ObjectNode model = root.putObject("model_cfg");
            model.put("embed_dim", c.projectionDim());
            model.put("quick_gelu", c.text().activation() == Activation.QUICK_GELU);
            ObjectNode v = model.putObject("vision_cfg");
            v.put("image_size", c.imageSize());
            v.put("layers", c.vision().layers());
            v.put("width", c.vision().width());
            v.put("head_width", c.vision().headWidth());
            v.put("patch_size", c.patchSize());
            v.put("mlp_ratio", c.vision().mlpWidth() / (double) c.vision().width());
            ObjectNode t = model.putObject("text_cfg");
            t.put("context_length", c.contextLength());
            t.put("vocab_size", c.vocabSize());
            t.put("width", c.text().width());
            t.put("heads", c.text().heads());
            t.put("layers", c.text().layers());
            t.put("mlp_ratio", c.text().mlpWidth() / (double) c.text().width());
            ObjectNode pre = root.putObject("preprocess_cfg");
            putFloats(pre.putArray("mean"), c.imageMean());
            putFloats(pre.putArray("std"), c.imageStd());
            return root;
        }
    };

    private final String configFile;
    private final String weightsFile;

    CheckpointLayout(String configFile, String weightsFile) {
        this.configFile = configFile;
        this.weightsFile = weightsFile;
    }

    /** @return the config file name inside a model directory */
    public String configFile() {
        return configFile;
    }

    /** @return the weights file name inside a model directory */
    public String weightsFile() {
        return weightsFile;
    }

    /**
     * Finds the layout of a model directory from the files it holds.
     *
     * @param dir a model directory
     * @return the layout, or {@code null} when neither layout's config and weights are both present
     */
    public static CheckpointLayout detect(Path dir) {
        for (CheckpointLayout layout : values()) {
            if (Files.isRegularFile(dir.resolve(layout.configFile))
                    && Files.isRegularFile(dir.resolve(layout.weightsFile))) {
                return layout;
            }
        }
        return null;
    }

    /**
     * @param root the parsed config file
     * @param preprocessor the parsed {@code preprocessor_config.json}, or null
     * @return the architecture
     * @throws IllegalArgumentException for values the runtime does not support
     */
    abstract ClipConfig parseConfig(JsonNode root, JsonNode preprocessor);

    /**
     * @param config the architecture
     * @return every tensor of the layout, with its expected shape and runtime name
     */
    public abstract List<TensorMapping> mappings(ClipConfig config);

    /**
     * @param fileName a tensor name found in a checkpoint and not expected by {@link #mappings}
     * @return whether it is a known buffer that carries no weights
     */
    abstract boolean isIgnorable(String fileName);

    /**
     * @param config the architecture
     * @param json a Jackson mapper
     * @param bosId start-of-text token id
     * @param eosId end-of-text token id
     * @return the config file content of this layout
     */
    abstract ObjectNode writeConfig(ClipConfig config, ObjectMapper json, int bosId, int eosId);

    private static void hfBlocks(List<TensorMapping> m, String tower, String prefix, TowerConfig t) {
        int d = t.width();
        for (int i = 0; i < t.layers(); i++) {
            String p = prefix + i + ".";
            layerNorm(m, block(tower, i, LN1), p + "layer_norm1", d);
            m.add(TensorMapping.concat(block(tower, i, IN_PROJ) + ".weight", List.of(p + "self_attn.q_proj.weight",
                    p + "self_attn.k_proj.weight", p + "self_attn.v_proj.weight"), new Shape(d, d)));
            m.add(TensorMapping.concat(block(tower, i, IN_PROJ) + ".bias", List.of(p + "self_attn.q_proj.bias",
                    p + "self_attn.k_proj.bias", p + "self_attn.v_proj.bias"), new Shape(d)));
            linear(m, block(tower, i, OUT_PROJ), p + "self_attn.out_proj", d, d);
            layerNorm(m, block(tower, i, LN2), p + "layer_norm2", d);
            linear(m, block(tower, i, FC1), p + "mlp.fc1", t.mlpWidth(), d);
            linear(m, block(tower, i, FC2), p + "mlp.fc2", d, t.mlpWidth());
        }
    }

    private static void openClipBlocks(List<TensorMapping> m, String tower, String prefix, TowerConfig t) {
        int d = t.width();
        for (int i = 0; i < t.layers(); i++) {
            String p = prefix + i + ".";
            layerNorm(m, block(tower, i, LN1), p + "ln_1", d);
            linear(m, block(tower, i, IN_PROJ), p + "attn.in_proj", 3 * d, d, "_weight", "_bias");
            linear(m, block(tower, i, OUT_PROJ), p + "attn.out_proj", d, d);
            layerNorm(m, block(tower, i, LN2), p + "ln_2", d);
            linear(m, block(tower, i, FC1), p + "mlp.c_fc", t.mlpWidth(), d);
            linear(m, block(tower, i, FC2), p + "mlp.c_proj", d, t.mlpWidth());
        }
    }

    private static void layerNorm(List<TensorMapping> m, String internal, String file, int d) {
        m.add(TensorMapping.same(internal + ".weight", file + ".weight", new Shape(d)));
        m.add(TensorMapping.same(internal + ".bias", file + ".bias", new Shape(d)));
    }

    private static void linear(List<TensorMapping> m, String internal, String file, int out, int in) {
        linear(m, internal, file, out, in, ".weight", ".bias");
    }

    private static void linear(List<TensorMapping> m, String internal, String file, int out, int in,
            String weightSuffix, String biasSuffix) {
        m.add(TensorMapping.same(internal + ".weight", file + weightSuffix, new Shape(out, in)));
        m.add(TensorMapping.same(internal + ".bias", file + biasSuffix, new Shape(out)));
    }

    private static void rejectUnsupported(JsonNode cfg, String where) {
        cfg.fields().forEachRemaining(e -> {
            JsonNode value = e.getValue();
            boolean set = !(value.isNull() || value.isBoolean() && !value.asBoolean()
                    || value.isObject() && value.isEmpty());
            if (UNSUPPORTED_KEYS.contains(e.getKey()) && set) {
                throw new IllegalArgumentException(where + "." + e.getKey() + " = " + value
                        + " is not supported by this runtime (plain pre-LN ViT/text transformers only)");
            }
        });
    }

    // Options of OpenCLIP towers that change the computation and that this runtime does not implement.
    private static final Set<String> UNSUPPORTED_KEYS = Set.of("timm_model_name", "hf_model_name",
            "attentional_pool", "ls_init_value", "no_ln_pre", "final_ln_after_pool", "embed_cls",
            "no_causal_mask", "proj_bias", "act_kwargs", "norm_kwargs");

    private static int squareSize(JsonNode node, int dflt) {
        if (node.isArray()) {
            if (node.size() != 2 || node.get(0).asInt() != node.get(1).asInt()) {
                throw new IllegalArgumentException("image_size " + node + " must be square");
            }
            return node.get(0).asInt();
        }
        return node.asInt(dflt);
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    private static void putFloats(ArrayNode array, float[] values) {
        for (float v : values) {
            array.add(v);
        }
    }

    private static void tower(ObjectNode n, TowerConfig t) {
        n.put("hidden_size", t.width());
        n.put("intermediate_size", t.mlpWidth());
        n.put("num_hidden_layers", t.layers());
        n.put("num_attention_heads", t.heads());
        n.put("hidden_act", t.activation().configName());
        n.put("layer_norm_eps", t.layerNormEps());
    }
}
