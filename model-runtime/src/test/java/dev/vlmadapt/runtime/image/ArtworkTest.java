package dev.vlmadapt.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ArtworkTest {
    @Test
    void pngAlphaIsCompositedOntoTheBackgroundByTheOverOperator() throws IOException {
        BufferedImage argb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80C86432);                  // α 128 over (200, 100, 50)
        argb.setRGB(1, 0, 0x00123456);                  // fully transparent
        argb.setRGB(0, 1, 0xFF0A141E);                  // opaque (10, 20, 30)
        argb.setRGB(1, 1, 0x01FFFFFF);                  // α 1, white
        RasterImage white = Artwork.fromPng(png(argb), 2, 0xFFFFFF, "test");
        // (128·200 + 127·255 + 127) / 255 = 227, (128·100 + 127·255 + 127) / 255 = 177, (128·50 + …) = 152.
        assertArrayEquals(new byte[] {(byte) 227, (byte) 177, (byte) 152, (byte) 255, (byte) 255, (byte) 255,
            10, 20, 30, (byte) 255, (byte) 255, (byte) 255}, white.pixels());
        RasterImage black = Artwork.fromPng(png(argb), 2, 0x000000, "test");
        // (128·200 + 127) / 255 = 100, (128·100 + 127) / 255 = 50, (128·50 + 127) / 255 = 25; α 1 white → 1.
        assertArrayEquals(new byte[] {100, 50, 25, 0, 0, 0, 10, 20, 30, 1, 1, 1}, black.pixels());
    }

    @Test
    void svgIsFittedIntoTheSquareAndTransparencyBecomesBackground() throws IOException {
        // Left half red, right half transparent; rendered at twice the view box.
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\" width=\"4\" height=\"4\">"
                + "<rect x=\"0\" y=\"0\" width=\"2\" height=\"4\" fill=\"#ff0000\"/></svg>";
        RasterImage img = Artwork.fromSvg(svg, 8, 0xFFFFFF, "test");
        assertEquals(8, img.width());
        assertEquals(3, img.channels());
        for (int y = 0; y < 8; y++) {
            assertEquals(255, img.get(y, 1, 0));
            assertEquals(0, img.get(y, 1, 1));
            assertEquals(255, img.get(y, 6, 1));
        }
    }

    @Test
    void svg2HrefOnUseIsRenderedLikeXlinkHref() throws IOException {
        // Batik implements SVG 1.1 and would reject <use href> (seen in the Streamline set).
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><defs><rect id=\"r\" width=\"4\" "
                + "height=\"4\" fill=\"#0000ff\"/></defs><use href=\"#r\"/></svg>";
        RasterImage img = Artwork.fromSvg(svg, 4, 0xFFFFFF, "test");
        assertEquals(0, img.get(2, 2, 0));
        assertEquals(255, img.get(2, 2, 2));
    }

    @Test
    void anSvgBatikCannotRenderIsAnErrorNamingTheArtworkAndTheReason() {
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><rect height=\"4\"/></svg>";
        IOException e = assertThrows(IOException.class, () -> Artwork.fromSvg(svg, 8, 0xFFFFFF, "openmoji 1F54C"));
        assertTrue(e.getMessage().startsWith("openmoji 1F54C: SVG not rendered: "), e.getMessage());
        assertTrue(e.getMessage().contains("\"width\""), e.getMessage());
        assertThrows(IOException.class, () -> Artwork.fromSvg("<svg", 8, 0xFFFFFF, "x"));
        assertThrows(IOException.class, () -> Artwork.fromPng(new byte[] {1, 2, 3}, 8, 0xFFFFFF, "x"));
    }

    @Test
    void renderingIsDeterministic() throws IOException {
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" "
                + "r=\"3.3\" fill=\"#3a7\" stroke=\"#000\" stroke-width=\"0.7\" opacity=\"0.8\"/></svg>";
        byte[] first = ImageCodec.encodePng(Artwork.fromSvg(svg, 64, 0xFFFFFF, "a"));
        byte[] second = ImageCodec.encodePng(Artwork.fromSvg(svg, 64, 0xFFFFFF, "a"));
        assertArrayEquals(first, second);
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
