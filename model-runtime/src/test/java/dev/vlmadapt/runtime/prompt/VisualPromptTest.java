package dev.vlmadapt.runtime.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.Goldens;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.objective.VisualPromptObjective;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BlackVIP's visual prompt: layout, upsampling, and the prompted images against a torch reference. */
class VisualPromptTest {
    private static VisualPrompt prompt(int e, int t, int g, int size, double eps) {
        return new VisualPrompt(new VisualPrompt.Settings(e, t, g, eps), 6, size, ClipConfig.CLIP_MEAN,
                ClipConfig.CLIP_STD, 7);
    }

    @Test
    void promptedImagesMatchTorchsInterpolateAndClamp() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> golden = Goldens.read(Goldens.dir().resolve("visual-prompt.safetensors"), m);
            int checked = 0;
            for (int i = 0; golden.containsKey("case" + i + ".settings"); i++) {
                String c = "case" + i + ".";
                int[] s = golden.get(c + "settings").toIntArray();   // e, t, g, S, C, n
                VisualPrompt vp = prompt(s[0], s[1], s[2], s[3], golden.get(c + "epsilon").getFloat());
                try (NDManager scope = m.newSubManager()) {
                    NDArray pixels = golden.get(c + "pixels").duplicate();
                    pixels.attach(scope);
                    NDArray w = golden.get(c + "w").duplicate();
                    assertEquals(vp.dimension(), w.getShape().get(1), c + "layout size");
                    NDArray out = VisualPromptObjective.prompted(pixels, golden.get(c + "codes").duplicate(), w, vp);
                    NDArray want = golden.get(c + "prompted");
                    assertEquals(want.getShape(), out.getShape(), c + "shape");
                    float[] got = out.toFloatArray();
                    float[] exp = want.toFloatArray();
                    for (int j = 0; j < exp.length; j++) {
                        assertEquals(exp[j], got[j], 1e-5, c + "value " + j);
                    }
                }
                checked++;
            }
            assertEquals(3, checked, "all golden cases checked");
        }
    }

    @Test
    void upsamplingRowsAreConvexAndIdentityAtFullResolution() {
        float[] u = prompt(2, 1, 7, 28, 1).upsampling();
        for (int i = 0; i < 28; i++) {
            double sum = 0;
            for (int j = 0; j < 7; j++) {
                assertTrue(u[i * 7 + j] >= 0);
                sum += u[i * 7 + j];
            }
            assertEquals(1, sum, 1e-6, "row " + i);
        }
        // Pixel 0 of 28 samples the grid at 0.5·7/28 − 0.5 < 0, clamped to cell 0; pixel 2 at 0.125.
        assertEquals(1f, u[0], 1e-6f);
        assertEquals(0.875f, u[2 * 7], 1e-6f);
        assertEquals(0.125f, u[2 * 7 + 1], 1e-6f);
        float[] identity = prompt(2, 1, 5, 5, 1).upsampling();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(i == j ? 1f : 0f, identity[i * 5 + j], "identity " + i + "," + j);
            }
        }
    }

    @Test
    void layoutStartsAtAZeroPromptWithASeededTrigger() {
        VisualPrompt vp = prompt(16, 16, 7, 28, 1);
        assertEquals(16 + 147 * 32 + 147, vp.dimension());
        double[] w0 = vp.initial();
        for (int i = 16; i < w0.length; i++) {
            assertEquals(0, w0[i], "decoder starts at 0: " + i);
        }
        assertTrue(w0[0] != 0 && w0[15] != 0, "trigger drawn");
        assertArrayEquals(w0, prompt(16, 16, 7, 28, 1).initial(), "same seed, same trigger");
        Map<String, VisualPrompt.Part> parts = vp.parts(w0);
        assertArrayEquals(new long[] {147, 32}, parts.get("decoder.weight").shape());
        assertArrayEquals(new long[] {16, 6}, parts.get("projection").shape());
        assertEquals((float) w0[3], parts.get("trigger").values()[3]);
        assertThrows(IllegalArgumentException.class, () -> prompt(4, 4, 30, 28, 1), "grid larger than the image");
        assertThrows(IllegalArgumentException.class, () -> new VisualPrompt.Settings(4, 4, 7, 0));
    }
}
