package dev.vlmadapt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden values worked out by hand for each operation, and seeded determinism of the whole. */
class StyleAugmentationTest {
    private static RasterImage gray(int w, int h, int... values) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < values.length; i++) {
            Arrays.fill(px, 3 * i, 3 * i + 3, (byte) values[i]);
        }
        return new RasterImage(w, h, 3, px);
    }

    private static int[] channel0(RasterImage img) {
        int[] out = new int[img.width() * img.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = img.get(i / img.width(), i % img.width(), 0);
        }
        return out;
    }

    @Test
    void lumaIsBt601Rounded() {
        assertEquals(76, StyleAugmentation.luma(255, 0, 0));      // 76.745
        assertEquals(150, StyleAugmentation.luma(0, 255, 0));     // 149.685
        assertEquals(29, StyleAugmentation.luma(0, 0, 255));      // 29.07
        assertEquals(255, StyleAugmentation.luma(255, 255, 255));
    }

    @Test
    void linesAreTheInvertedSobelMagnitudeWithReplicatedBorders() {
        // A black left column on white: |Gx| = 4·255 at columns 0 and 1 (clipped to 255), 0 at column 2.
        RasterImage edge = StyleAugmentation.lines(gray(3, 3, 0, 255, 255, 0, 255, 255, 0, 255, 255));
        assertArrayEquals(new int[] {0, 0, 255, 0, 0, 255, 0, 0, 255}, channel0(edge));
        // A ramp 10, 20, 40 in one row: Gx = 4·(20 − 10) = 40, 4·(40 − 10) = 120, 4·(40 − 20) = 80.
        assertArrayEquals(new int[] {215, 135, 175}, channel0(StyleAugmentation.lines(gray(3, 1, 10, 20, 40))));
    }

    @Test
    void placingShrinksTheDrawingIntoTheBackground() {
        RasterImage black = gray(4, 4, new int[16]);
        RasterImage placed = StyleAugmentation.place(black, 0.5, 1.0, 0.0, 0xFFFFFF);
        assertArrayEquals(new int[] {255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255},
                channel0(placed));
        assertEquals(black, StyleAugmentation.place(black, 1.0, 0.3, 0.7, 0xFFFFFF));
    }

    @Test
    void jitterScalesBrightnessContrastAndSaturation() {
        RasterImage px = new RasterImage(1, 1, 3, new byte[] {(byte) 200, 100, 50});
        assertEquals(px, StyleAugmentation.jitter(px, 1, 1, 1));
        assertArrayEquals(new byte[] {100, 50, 25}, StyleAugmentation.jitter(px, 0.5, 1, 1).pixels());
        // Saturation 0: every channel becomes the luma 0.299·200 + 0.587·100 + 0.114·50 = 124.2.
        assertArrayEquals(new byte[] {124, 124, 124}, StyleAugmentation.jitter(px, 1, 1, 0).pixels());
        // Contrast 0: every channel becomes the image's mean luma, here that pixel's 124.2.
        assertArrayEquals(new byte[] {124, 124, 124}, StyleAugmentation.jitter(px, 1, 0, 1).pixels());
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        byte[] px = new byte[16 * 16 * 3];
        new SplittableRandom(5).nextBytes(px);
        RasterImage img = new RasterImage(16, 16, 3, px);
        StyleAugmentation aug = new StyleAugmentation(0.6, 0.3, 0.3, 0.4, 0xFFFFFF);
        RasterImage a = aug.apply(img, new SplittableRandom(9));
        assertEquals(a, aug.apply(img, new SplittableRandom(9)));
        assertEquals(16, a.width());
        boolean anyDiffers = false;
        for (long seed = 10; seed < 20 && !anyDiffers; seed++) {
            anyDiffers = !aug.apply(img, new SplittableRandom(seed)).equals(a);
        }
        assertFalse(!anyDiffers, "other seeds give other images");
        assertThrows(IllegalArgumentException.class, () -> new StyleAugmentation(0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new StyleAugmentation(1, 1.5, 0, 0, 0));
    }
}
