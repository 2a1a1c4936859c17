package dev.vlmadapt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCodecTest {
    // Non-square so that a width/height mix-up cannot go unnoticed.
    private static final int W = 7;
    private static final int H = 5;

    @Test
    void grayRoundTripIsExact() throws IOException {
        RasterImage image = random(1, 1);
        byte[] png = ImageCodec.encodePng(image);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        RasterImage back = ImageCodec.decode(png, "gray.png");
        assertEquals(1, back.channels());
        assertEquals(image, back);
    }

    @Test
    void rgbRoundTripIsExact() throws IOException {
        RasterImage image = random(3, 2);
        RasterImage back = ImageCodec.decode(ImageCodec.encodePng(image), "rgb.png");
        assertEquals(3, back.channels());
        assertEquals(image, back);
        // Channel order: pixel (y=4, x=6) keeps R, G, B in place.
        for (int c = 0; c < 3; c++) {
            assertEquals(image.get(4, 6, c), back.get(4, 6, c));
        }
    }

    @Test
    void roundTripKeepsExtremeValues() throws IOException {
        byte[] px = new byte[W * H * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 2 == 0 ? 0 : 255);
        }
        RasterImage image = new RasterImage(W, H, 3, px);
        assertEquals(image, ImageCodec.decode(ImageCodec.encodePng(image), "extremes.png"));
    }

    @Test
    void decodesJpegToRightSizeAndChannels() throws IOException {
        BufferedImage rgb = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        fillSmooth(rgb);
        RasterImage color = ImageCodec.decode(write(rgb, "jpeg"), "photo.jpg");
        assertEquals(W, color.width());
        assertEquals(H, color.height());
        assertEquals(3, color.channels());
        // JPEG is lossy; a smooth image still comes back close to what was written.
        assertEquals(rgb.getRGB(3, 2) >> 16 & 0xff, color.get(2, 3, 0), 24);

        BufferedImage gray = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        fillSmooth(gray);
        RasterImage mono = ImageCodec.decode(write(gray, "jpeg"), "gray.jpg");
        assertEquals(W, mono.width());
        assertEquals(H, mono.height());
        assertEquals(1, mono.channels());
    }

    @Test
    void decodesBmpExactly() throws IOException {
        RasterImage image = random(3, 3);
        BufferedImage bmp = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                bmp.setRGB(x, y, image.get(y, x, 0) << 16 | image.get(y, x, 1) << 8 | image.get(y, x, 2));
            }
        }
        assertEquals(image, ImageCodec.decode(write(bmp, "bmp"), "image.bmp"));
    }

    @Test
    void paletteImagesBecomeRgbWithPaletteColors() throws IOException {
        // A palette of gray-looking and colored entries: indexed images become RGB regardless.
        byte[] r = {0, (byte) 200, 10, (byte) 255};
        byte[] g = {0, 100, 20, (byte) 255};
        byte[] b = {0, 50, 30, (byte) 255};
        BufferedImage indexed = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 4, r, g, b));
        WritableRaster raster = indexed.getRaster();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                raster.setSample(x, y, 0, (x + y) % 4);
            }
        }
        for (String format : new String[] {"gif", "png"}) {
            RasterImage image = ImageCodec.decode(write(indexed, format), "palette." + format);
            assertEquals(3, image.channels(), format);
            int index = (4 + 6) % 4;
            assertEquals(r[index] & 0xff, image.get(4, 6, 0), format);
            assertEquals(g[index] & 0xff, image.get(4, 6, 1), format);
            assertEquals(b[index] & 0xff, image.get(4, 6, 2), format);
        }
    }

    @Test
    void dropsAlphaKeepingRawColor() throws IOException {
        BufferedImage argb = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(6, 4, 0x10_C8_64_32);
        RasterImage image = ImageCodec.decode(write(argb, "png"), "alpha.png");
        assertEquals(3, image.channels());
        assertArrayEquals(new int[] {0xC8, 0x64, 0x32},
                new int[] {image.get(4, 6, 0), image.get(4, 6, 1), image.get(4, 6, 2)});
    }

    @Test
    void sixteenBitGrayBecomesEightBitGray() throws IOException {
        BufferedImage gray16 = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSample(6, 4, 0, 65535);
        gray16.getRaster().setSample(0, 0, 0, 257 * 100);
        gray16.getRaster().setSample(1, 0, 0, 128);
        RasterImage image = ImageCodec.decode(write(gray16, "png"), "deep.png");
        assertEquals(1, image.channels());
        assertEquals(255, image.get(4, 6, 0));
        assertEquals(100, image.get(0, 0, 0));
        assertEquals(0, image.get(0, 1, 0), "128/65535 of full scale rounds to 0");
    }

    @Test
    void garbageBytesNameWhatWasDecoded() {
        byte[] garbage = new byte[200];
        new Random(7).nextBytes(garbage);
        assertFails(garbage, "record 42 of shard-3", "not a decodable image", "not a PNG, JPEG, BMP or GIF");
        // Any 8 bytes of the shape 00 00 <width> <height> <data> are a WBMP to the JDK, so WBMP is not accepted.
        byte[] wbmpLike = {0, 0, 16, 2, (byte) 0xAA, 0x55, (byte) 0xF0, 0x0F};
        assertFails(wbmpLike, "/data/x.png", "not a decodable image", "not a PNG, JPEG, BMP or GIF");
        assertFails(new byte[0], "empty.png", "not a decodable image");
    }

    @Test
    void truncatedFilesAreErrorsNotPartialImages() throws IOException {
        byte[] png = ImageCodec.encodePng(random(3, 4));
        assertFails(Arrays.copyOf(png, png.length / 2), "cut.png", "not a decodable image", "PNG");

        BufferedImage rgb = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        fillSmooth(rgb);
        byte[] jpeg = write(rgb, "jpeg");
        // The JDK decoder only warns about a missing end of data and pads with gray; that must be an error.
        assertFails(Arrays.copyOf(jpeg, jpeg.length * 2 / 3), "cut.jpg", "not a decodable image", "JPEG",
                "damaged");
    }

    private static void assertFails(byte[] bytes, String what, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> ImageCodec.decode(bytes, what));
        assertTrue(e.getMessage().contains(what), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "missing \"" + fragment + "\" in: " + e.getMessage());
        }
    }

    private static RasterImage random(int channels, long seed) {
        byte[] px = new byte[W * H * channels];
        new Random(seed).nextBytes(px);
        return new RasterImage(W, H, channels, px);
    }

    private static void fillSmooth(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, (40 + 10 * x) << 16 | (90 + 5 * y) << 8 | 160);
            }
        }
    }

    private static byte[] write(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no ImageIO writer for " + format);
        return out.toByteArray();
    }
}
