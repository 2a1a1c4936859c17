package dev.vlmadapt.runtime.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import javax.imageio.ImageIO;
import org.apache.batik.transcoder.SVGAbstractTranscoder;
import org.apache.batik.transcoder.TranscoderException;
import org.apache.batik.transcoder.TranscoderInput;
import org.apache.batik.transcoder.TranscoderOutput;
import org.apache.batik.transcoder.image.ImageTranscoder;

/**
 * Artwork with transparency (emoji PNGs, SVG icons) as square RGB images: SVGs rasterised with Apache Batik at
 * the target size, PNGs resampled to it when their size differs, and the alpha channel composited onto a
 * background colour by hand ({@code out = (α·c + (255 − α)·bg) / 255}, rounded), so the same input gives the
 * same bytes on every run.
 */
public final class Artwork {
    private Artwork() {
    }

    /**
     * @param svg an SVG document
     * @param size side of the output in pixels (the drawing is fitted and centred, keeping its aspect ratio)
     * @param background RGB background, e.g. 0xFFFFFF
     * @param what names the artwork in error messages
     * @return the rendered image, 3 channels
     * @throws IOException if Batik cannot render it (the message names {@code what} and Batik's reason)
     */
    public static RasterImage fromSvg(String svg, int size, int background, String what) throws IOException {
        Capture t = new Capture();
        t.addTranscodingHint(SVGAbstractTranscoder.KEY_WIDTH, (float) size);
        t.addTranscodingHint(SVGAbstractTranscoder.KEY_HEIGHT, (float) size);
        // Nothing may be fetched while rendering: no scripts, no external images or fonts.
        t.addTranscodingHint(SVGAbstractTranscoder.KEY_ALLOW_EXTERNAL_RESOURCES, Boolean.FALSE);
        t.addTranscodingHint(SVGAbstractTranscoder.KEY_EXECUTE_ONLOAD, Boolean.FALSE);
        try {
            t.transcode(new TranscoderInput(new StringReader(svg1(svg))), null);
        } catch (TranscoderException | RuntimeException e) {
            throw new IOException(what + ": SVG not rendered: " + reason(e), e);
        }
        if (t.image == null) {
            throw new IOException(what + ": SVG not rendered: Batik produced no image");
        }
        return composite(t.image, size, background);
    }

    /**
     * @param png PNG bytes (alpha, palette and gray are accepted)
     * @param size side of the output in pixels
     * @param background RGB background
     * @param what names the artwork in error messages
     * @return the image composited onto the background, 3 channels, size × size
     * @throws IOException if the bytes are not a readable image
     */
    public static RasterImage fromPng(byte[] png, int size, int background, String what) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException | RuntimeException e) {
            throw new IOException(what + ": not a readable PNG: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IOException(what + ": not a readable PNG");
        }
        RasterImage composited = composite(image, -1, background);
        if (composited.width() == size && composited.height() == size) {
            return composited;
        }
        return BicubicResampler.resize(composited, size, size);
    }

    /**
     * SVG 2 lets {@code <use>}, gradients and images say {@code href}; Batik implements SVG 1.1, which needs
     * {@code xlink:href} (and the xlink namespace declared on the root).
     */
    static String svg1(String svg) {
        String out = svg.replaceAll("(\\s)href=", "$1xlink:href=");
        if (!out.equals(svg) && !out.contains("xmlns:xlink")) {
            out = out.replaceFirst("<svg(\\s)", "<svg xmlns:xlink=\"http://www.w3.org/1999/xlink\"$1");
        }
        return out;
    }

    /** Batik wraps the cause in lines of context; the last line says what is wrong. */
    private static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof TranscoderException te && te.getException() != null && te.getException().getMessage() != null) {
            m = te.getException().getMessage();
        }
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String[] lines = m.strip().split("\\R");
        return lines[lines.length - 1].strip();
    }

    /** Composites ARGB pixels onto the background; size -1 keeps the image's own size. */
    private static RasterImage composite(BufferedImage image, int size, int background) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (size > 0 && (w != size || h != size)) {
            throw new IllegalStateException("expected a " + size + "×" + size + " raster, got " + w + "×" + h);
        }
        int[] bg = {(background >> 16) & 0xFF, (background >> 8) & 0xFF, background & 0xFF};
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);                      // non-premultiplied sRGB
                int a = argb >>> 24;
                int i = (y * w + x) * 3;
                for (int c = 0; c < 3; c++) {
                    int v = (argb >> (16 - 8 * c)) & 0xFF;
                    out[i + c] = (byte) ((a * v + (255 - a) * bg[c] + 127) / 255);
                }
            }
        }
        return new RasterImage(w, h, 3, out);
    }

    /** Batik's raster, kept in memory instead of written to a stream. */
    private static final class Capture extends ImageTranscoder {
        private BufferedImage image;

        @Override
        public BufferedImage createImage(int width, int height) {
            return new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        }

        @Override
        public void writeImage(BufferedImage img, TranscoderOutput output) {
            this.image = img;
        }
    }
}
