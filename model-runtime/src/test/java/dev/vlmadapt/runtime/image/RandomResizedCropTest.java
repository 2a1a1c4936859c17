package dev.vlmadapt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.Goldens;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The augmentation against Pillow (tools/goldens/make_goldens.py, {@code augment_goldens}) for fixed boxes, and
 * the box sampler against torchvision's documented ranges.
 */
class RandomResizedCropTest {

    @Test
    void cropResizeFlipMatchesPillowExactly() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> golden = Goldens.read(Goldens.dir().resolve("augment.safetensors"), m);
            RandomResizedCrop rrc = RandomResizedCrop.standard(16);
            int checked = 0;
            for (String name : new String[] {"gray61x97", "rgb40x30"}) {
                RasterImage input = PreprocessGoldenTest.toImage(golden.get(name + ".input"));
                for (int i = 0; golden.containsKey(name + ".box" + i); i++) {
                    int[] b = golden.get(name + ".box" + i).toIntArray();
                    RandomResizedCrop.Box box = new RandomResizedCrop.Box(b[0], b[1], b[2], b[3], b[4] == 1);
                    RasterImage view = rrc.apply(input, box);
                    assertEquals(16, view.width());
                    assertEquals(16, view.height());
                    assertArrayEquals(golden.get(name + ".view" + i).toIntArray(),
                            PreprocessGoldenTest.unsigned(view.pixels()), name + " " + box + " differs from Pillow");
                    checked++;
                }
            }
            assertEquals(7, checked, "all golden boxes checked");
        }
    }

    @Test
    void boxesStayInTorchvisionsRanges() {
        RandomResizedCrop rrc = RandomResizedCrop.standard(28);
        SplittableRandom random = new SplittableRandom(3);
        int flips = 0;
        int draws = 4000;
        double minFraction = 1;
        double maxFraction = 0;
        for (int i = 0; i < draws; i++) {
            RandomResizedCrop.Box box = rrc.sample(28, 28, random);
            assertTrue(box.top() >= 0 && box.left() >= 0 && box.top() + box.height() <= 28
                    && box.left() + box.width() <= 28, box.toString());
            double fraction = box.height() * box.width() / (28.0 * 28.0);
            minFraction = Math.min(minFraction, fraction);
            maxFraction = Math.max(maxFraction, fraction);
            // Rounding w and h to whole pixels can move the ratio a little past 3/4 and 4/3 on small boxes.
            double ratio = (double) box.width() / box.height();
            assertTrue(ratio > 0.5 && ratio < 2.0, box.toString());
            flips += box.flip() ? 1 : 0;
        }
        assertTrue(minFraction < 0.12, "small crops are drawn: " + minFraction);
        assertTrue(maxFraction > 0.9, "near-full crops are drawn: " + maxFraction);
        assertEquals(0.5, flips / (double) draws, 0.03, "flip probability");
    }

    @Test
    void sameSeedSameViewOtherSeedOtherView() {
        RandomResizedCrop rrc = RandomResizedCrop.standard(12);
        byte[] px = new byte[20 * 20];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        RasterImage image = new RasterImage(20, 20, 1, px);
        assertEquals(rrc.apply(image, new SplittableRandom(5)), rrc.apply(image, new SplittableRandom(5)));
        assertNotEquals(rrc.apply(image, new SplittableRandom(5)), rrc.apply(image, new SplittableRandom(6)));
    }

    @Test
    void fallsBackToCenterCropOfAllowedRatio() {
        // A 100×10 strip: no box of area >= 8% with ratio <= 4/3 fits, so torchvision's fallback applies.
        RandomResizedCrop rrc = new RandomResizedCrop(8, 0.5, 1.0, 3.0 / 4.0, 4.0 / 3.0);
        RandomResizedCrop.Box box = rrc.sample(100, 10, new SplittableRandom(1));
        assertEquals(10, box.height());
        assertEquals(13, box.width());
        assertEquals(0, box.top());
        assertEquals(43, box.left());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(0, 0.08, 1, 0.75, 1.33));
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(8, 0.5, 0.2, 0.75, 1.33));
        RandomResizedCrop rrc = RandomResizedCrop.standard(8);
        RasterImage image = new RasterImage(10, 10, 1, new byte[100]);
        assertThrows(IllegalArgumentException.class,
                () -> rrc.apply(image, new RandomResizedCrop.Box(5, 5, 6, 2, false)));
    }
}
