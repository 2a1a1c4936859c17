package dev.vlmadapt.runtime.clip;

import static dev.vlmadapt.runtime.Goldens.assertClose;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.Goldens;
import dev.vlmadapt.runtime.text.TokenBatch;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java runtime against an independent PyTorch reference (tools/goldens/make_goldens.py): same random
 * weights in both checkpoint layouts and both activations, outputs within 1e-4.
 */
class ClipGoldenTest {
    static final double TOL = 1e-4;

    static Stream<Arguments> checkpoints() {
        return Stream.of(Arguments.of("tiny-quickgelu", "hf"), Arguments.of("tiny-quickgelu", "openclip"),
                Arguments.of("tiny-gelu", "hf"));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("checkpoints")
    void matchesReferenceOutputs(String model, String layout) throws Exception {
        Path dir = Goldens.dir().resolve(model);
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                ClipModel clip = ClipModel.load(dir.resolve(layout), Device.cpu())) {
            Map<String, NDArray> ref = Goldens.read(dir.resolve("reference.safetensors"), m);
            TokenBatch tokens = Goldens.tokens(ref.get("text_ids"), ref.get("text_eot"));

            NDArray text = clip.encodeTokens(tokens, m);
            assertClose(ref.get("text_features"), text, TOL, layout + " text features");

            NDArray image = clip.encodeImages(ref.get("images"), m);
            assertClose(ref.get("image_features"), image, TOL, layout + " image features");

            NDArray tn = text.div(text.norm(new int[] {-1}, true));
            NDArray in = image.div(image.norm(new int[] {-1}, true));
            NDArray logits = in.matMul(tn.transpose()).mul(clip.logitScale());
            assertClose(ref.get("logits_per_image"), logits, TOL, layout + " logits");

            TokenBatch prompts = Goldens.tokens(ref.get("prompt_ids"), ref.get("prompt_eot"));
            int start = (int) ref.get("context_start").toLongArray()[0];
            NDArray injected = clip.encodeWithContext(prompts, start, ref.get("contexts"), m);
            assertClose(ref.get("injected_features"), injected, TOL, layout + " injected-context features");
        }
    }

    @Test
    void eotCropEqualsFullContextPass() throws Exception {
        Path dir = Goldens.dir().resolve("tiny-quickgelu");
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                ClipModel clip = ClipModel.load(dir.resolve("hf"), Device.cpu())) {
            Map<String, NDArray> ref = Goldens.read(dir.resolve("reference.safetensors"), m);
            TokenBatch tokens = Goldens.tokens(ref.get("text_ids"), ref.get("text_eot"));
            try (NDManager s = m.newSubManager()) {
                NDArray full = clip.textTower().encode(tokens, clip.config().contextLength(), s);
                NDArray cropped = clip.textTower().encode(tokens, tokens.maxEot() + 1, s);
                assertClose(full, cropped, 1e-5, "cropped vs 77-token pass");
            }
        }
    }
}
