package dev.vlmadapt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.Goldens;
import dev.vlmadapt.runtime.clip.Activation;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.TowerConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The preprocessing against Pillow and torchvision's size arithmetic (tools/goldens/make_goldens.py,
 * {@code preprocess_goldens}): random 8-bit images, shorter side to 32 (mostly upscaling) and to 12
 * (downscaling, antialiased), center-cropped. The Java port is bit-exact: all values of all cases equal
 * Pillow 9.4's output (measured max difference 0; also 0 on 300 random direct resizes, 1 to 130 pixels
 * per side, 3.3 million values), so the test demands exact equality.
 */
class PreprocessGoldenTest {
    private static final float[] MEAN = ClipConfig.CLIP_MEAN;
    private static final float[] STD = ClipConfig.CLIP_STD;

    @Test
    void resizeAndCropMatchesPillowExactly() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> golden = Goldens.read(Goldens.dir().resolve("preprocess.safetensors"), m);
            TreeSet<String> cases = new TreeSet<>();
            for (String name : golden.keySet()) {
                if (name.endsWith(".input")) {
                    cases.add(name.substring(0, name.length() - ".input".length()));
                }
            }
            // The cases of preprocess_goldens: upscale, downscale, no-op resize, half-pixel crop offsets.
            assertEquals(new TreeSet<>(List.of("gray28", "gray97x61", "rgb12x17", "rgb17x50", "rgb40x30")), cases);
            for (String name : cases) {
                RasterImage input = toImage(golden.get(name + ".input"));
                for (int size : new int[] {32, 12}) {
                    NDArray expected = golden.get(name + ".resized" + size);
                    assertArrayEquals(new long[] {size, size, 3}, expected.getShape().getShape(),
                            name + " golden shape");
                    RasterImage actual = new ClipPreprocessor(size, MEAN, STD).resizeAndCrop(input);
                    assertEquals(size, actual.width(), name + " width");
                    assertEquals(size, actual.height(), name + " height");
                    assertEquals(3, actual.channels(), name + " channels");
                    assertArrayEquals(expected.toIntArray(), unsigned(actual.pixels()),
                            name + " resized to " + size + " differs from Pillow");
                }
            }
        }
    }

    @Test
    void normalisesPerChannelInChwOrder() {
        int size = 4;
        int[] rgb = {200, 100, 30};
        byte[] px = new byte[7 * 5 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) rgb[i % 3];
        }
        // A constant image stays constant under any resize and crop, so only ToTensor and Normalize act.
        float[] out = new ClipPreprocessor(size, MEAN, STD).apply(new RasterImage(7, 5, 3, px));
        assertEquals(3 * size * size, out.length);
        for (int c = 0; c < 3; c++) {
            float expected = (rgb[c] / 255f - MEAN[c]) / STD[c];
            for (int i = 0; i < size * size; i++) {
                assertEquals(expected, out[c * size * size + i], 1e-6f, "channel " + c + " element " + i);
            }
        }
    }

    @Test
    void grayInputGivesThreeIdenticalChannels() {
        Random rnd = new Random(3);
        byte[] gray = new byte[23 * 31];
        rnd.nextBytes(gray);
        RasterImage image = new RasterImage(23, 31, 1, gray);
        float[] ones = {1f, 1f, 1f};
        float[] zeros = {0f, 0f, 0f};
        int size = 16;
        float[] out = new ClipPreprocessor(size, zeros, ones).apply(image);
        int n = size * size;
        float[] r = Arrays.copyOfRange(out, 0, n);
        assertArrayEquals(r, Arrays.copyOfRange(out, n, 2 * n), "green differs from red");
        assertArrayEquals(r, Arrays.copyOfRange(out, 2 * n, 3 * n), "blue differs from red");

        // And the gray result is the RGB result of the replicated image.
        byte[] rgb = new byte[gray.length * 3];
        for (int i = 0; i < gray.length; i++) {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = gray[i];
        }
        assertArrayEquals(new ClipPreprocessor(size, zeros, ones).apply(new RasterImage(23, 31, 3, rgb)), out);
    }

    @Test
    void batchConcatenatesImagesInOrderAndForModelUsesConfig() {
        TowerConfig tower = new TowerConfig(8, 1, 2, 32, Activation.GELU, 1e-5f);
        ClipConfig config = ClipConfig.builder().setText(tower, 10).setVision(tower, 16, 8).setProjectionDim(4)
                .optNormalization(new float[] {0.1f, 0.2f, 0.3f}, new float[] {0.5f, 0.25f, 2f}).build();
        ClipPreprocessor p = ClipPreprocessor.forModel(config);
        assertEquals(16, p.size());
        ClipPreprocessor same = new ClipPreprocessor(16, config.imageMean(), config.imageStd());

        Random rnd = new Random(5);
        byte[] a = new byte[20 * 17 * 3];
        byte[] b = new byte[9 * 40];
        rnd.nextBytes(a);
        rnd.nextBytes(b);
        RasterImage first = new RasterImage(20, 17, 3, a);
        RasterImage second = new RasterImage(9, 40, 1, b);
        float[] batch = p.applyBatch(List.of(first, second));
        int plane = 3 * 16 * 16;
        assertEquals(2 * plane, batch.length);
        assertArrayEquals(same.apply(first), Arrays.copyOfRange(batch, 0, plane));
        assertArrayEquals(same.apply(second), Arrays.copyOfRange(batch, plane, 2 * plane));
    }

    @Test
    void rejectsInvalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ClipPreprocessor(0, MEAN, STD));
        assertThrows(IllegalArgumentException.class, () -> new ClipPreprocessor(8, new float[2], STD));
        assertThrows(IllegalArgumentException.class, () -> new ClipPreprocessor(8, MEAN, new float[3]));
        ClipPreprocessor p = new ClipPreprocessor(8, MEAN, STD);
        assertThrows(IllegalArgumentException.class, () -> p.apply(null));
        assertThrows(IllegalArgumentException.class, () -> p.applyBatch(List.of()));
        RasterImage one = new RasterImage(1, 1, 1, new byte[1]);
        assertThrows(IllegalArgumentException.class, () -> BicubicResampler.resize(one, 0, 3));
    }

    static RasterImage toImage(NDArray input) {
        long[] shape = input.getShape().getShape();
        int h = (int) shape[0];
        int w = (int) shape[1];
        int c = shape.length == 3 ? (int) shape[2] : 1;
        int[] v = input.toIntArray();
        byte[] px = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            px[i] = (byte) v[i];
        }
        return new RasterImage(w, h, c, px);
    }

    static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }
}
