package dev.vlmadapt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlmadapt.runtime.image.RasterImage;
import org.junit.jupiter.api.Test;

class ImageVariantsTest {
    // 3 wide, 2 high:  1 2 3 / 4 5 6
    private static final RasterImage IMG = new RasterImage(3, 2, 1, new byte[] {1, 2, 3, 4, 5, 6});

    private static int[] px(RasterImage i) {
        byte[] b = i.pixels();
        int[] out = new int[b.length];
        for (int k = 0; k < b.length; k++) {
            out[k] = b[k] & 0xff;
        }
        return out;
    }

    @Test
    void rotatesClockwiseAndInverts() {
        RasterImage r90 = new ImageVariants(false, false, 90, 0, 0, 0).apply(IMG, "train", 0);
        assertEquals(2, r90.width());
        assertEquals(3, r90.height());
        assertArrayEquals(new int[] {4, 1, 5, 2, 6, 3}, px(r90));
        assertArrayEquals(new int[] {6, 5, 4, 3, 2, 1}, px(new ImageVariants(false, false, 180, 0, 0, 0).apply(IMG, "t", 0)));
        assertArrayEquals(new int[] {3, 6, 2, 5, 1, 4}, px(new ImageVariants(false, false, 270, 0, 0, 0).apply(IMG, "t", 0)));
        assertArrayEquals(new int[] {3, 2, 1, 6, 5, 4}, px(new ImageVariants(true, false, 0, 0, 0, 0).apply(IMG, "t", 0)));
        assertArrayEquals(new int[] {254, 253, 252, 251, 250, 249},
                px(new ImageVariants(false, true, 0, 0, 0, 0).apply(IMG, "t", 0)));
    }

    @Test
    void noiseIsSeededPerImage() {
        ImageVariants v = new ImageVariants(false, false, 0, 0, 0.1, 7);
        RasterImage gray = new RasterImage(8, 8, 1, new byte[64]);
        assertEquals(v.apply(gray, "train", 3), v.apply(gray, "train", 3));
        assertNotEquals(v.apply(gray, "train", 3), v.apply(gray, "train", 4));
        assertNotEquals(v.apply(gray, "train", 3), v.apply(gray, "test", 3));
        assertThrows(IllegalArgumentException.class, () -> new ImageVariants(false, false, 45, 0, 0, 0));
    }
}
