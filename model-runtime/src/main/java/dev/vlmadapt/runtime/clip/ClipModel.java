package dev.vlmadapt.runtime.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.text.ClipTokenizer;
import dev.vlmadapt.runtime.text.TokenBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CLIP on one device: weights, both towers, and the tokenizer of its vocabulary. Every method that returns
 * an array creates its intermediates in a temporary manager and hands back only the result, attached to the
 * caller's manager.
 */
public final class ClipModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClipModel.class);

    private final ClipConfig config;
    private final ClipWeights weights;
    private final ClipTokenizer tokenizer;
    private final TextTower text;
    private final VisionTower vision;
    private final Path source;

    /**
     * Assembles a model from parts it then owns.
     *
     * @param config the architecture
     * @param weights tensors matching {@code config}
     * @param tokenizer tokenizer of the model's vocabulary
     * @param source where the model came from, for messages (may be null)
     */
    public ClipModel(ClipConfig config, ClipWeights weights, ClipTokenizer tokenizer, Path source) {
        this.config = config;
        this.weights = weights;
        this.tokenizer = tokenizer;
        this.source = source;
        this.text = new TextTower(config, weights);
        this.vision = new VisionTower(config, weights);
    }

    /**
     * Loads a model directory in the Hugging Face or OpenCLIP layout.
     *
     * @param dir the model directory (config, safetensors weights, {@code tokenizer.json})
     * @param device where the weights go (CPU, or the GPU assigned to this task)
     * @return the model
     * @throws IOException if the directory is not a loadable CLIP; the message lists every problem
     */
    public static ClipModel load(Path dir, Device device) throws IOException {
        long start = System.nanoTime();
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            CheckpointReader.Checkpoint ckpt = CheckpointReader.read(dir, manager);
            ClipTokenizer tok = ClipTokenizer.load(dir.resolve("tokenizer.json"), ckpt.config().contextLength());
            ClipModel model = new ClipModel(ckpt.config(), ckpt.weights(), tok, dir);
            LOG.info("loaded {} ({} layout, {} parameters) on {} in {} ms", dir, ckpt.layout(),
                    model.weights.parameterCount(), device, (System.nanoTime() - start) / 1_000_000);
            return model;
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** @return the architecture */
    public ClipConfig config() {
        return config;
    }

    /** @return the weights (owned by this model) */
    public ClipWeights weights() {
        return weights;
    }

    /** @return the tokenizer (owned by this model) */
    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /** @return the text tower */
    public TextTower textTower() {
        return text;
    }

    /** @return the image tower */
    public VisionTower visionTower() {
        return vision;
    }

    /** @return the device of the weights */
    public Device device() {
        return weights.device();
    }

    /** @return the model directory it was loaded from, or null */
    public Path source() {
        return source;
    }

    /** @return {@code exp(logit_scale)}, the inverse softmax temperature */
    public float logitScale() {
        return (float) Math.exp(weights.get(ClipTensors.LOGIT_SCALE).getFloat());
    }

    /**
     * @param texts B texts
     * @param out where the result is created
     * @return {@code (B, P)} unnormalised text features
     */
    public NDArray encodeText(List<String> texts, NDManager out) {
        return encodeTokens(tokenizer.encode(texts), out);
    }

    /**
     * @param tokens a token batch
     * @param out where the result is created
     * @return {@code (B, P)} unnormalised text features (cropped at the longest EOT)
     */
    public NDArray encodeTokens(TokenBatch tokens, NDManager out) {
        return inScope(out, m -> text.encode(tokens, m));
    }

    /**
     * @param prompts K prompts with a context span of n placeholder tokens at {@code [start, start + n)}
     * @param start first position of the context span
     * @param contexts {@code (C, n, D)} candidate contexts (any manager)
     * @param out where the result is created
     * @return {@code (C, K, P)} unnormalised text features
     */
    public NDArray encodeWithContext(TokenBatch prompts, int start, NDArray contexts, NDManager out) {
        return inScope(out, m -> text.encodeWithContext(prompts, start, local(contexts, m)));
    }

    /**
     * @param images {@code (B, 3, S, S)} preprocessed pixels (any manager)
     * @param out where the result is created
     * @return {@code (B, P)} unnormalised image features
     */
    public NDArray encodeImages(NDArray images, NDManager out) {
        return inScope(out, m -> vision.encode(local(images, m)));
    }

    /** A copy of {@code a} in {@code m}, so that operations on it create their results in {@code m}. */
    private static NDArray local(NDArray a, NDManager m) {
        NDArray copy = a.toDevice(m.getDevice(), true);
        copy.attach(m);
        return copy;
    }

    private NDArray inScope(NDManager out, Function<NDManager, NDArray> f) {
        try (NDManager m = weights.manager().newSubManager()) {
            NDArray result = f.apply(m);
            NDArray copy = result.toDevice(out.getDevice(), false);
            copy.attach(out);
            return copy;
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        weights.close();
    }
}
