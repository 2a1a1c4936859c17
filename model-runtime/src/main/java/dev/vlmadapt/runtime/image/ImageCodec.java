package dev.vlmadapt.runtime.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Encodes {@link RasterImage}s as PNG and decodes PNG, JPEG, BMP and GIF files into them, with the JDK's
 * {@code javax.imageio}.
 *
 * <p>Decoding keeps the stored sample values, like PIL does: no colour management is applied, so an image with
 * an embedded ICC profile yields its raw RGB samples. Images in a gray colour space become 1 channel (an alpha
 * band is dropped, 16-bit and low-bit-depth samples are rescaled to 8 bits); everything else, including
 * palette images, becomes 3-channel RGB with any alpha dropped. Of an animated GIF only the first frame is
 * read. PNG encoding is lossless, so {@code decode(encodePng(image), ...)} equals {@code image}.
 */
public final class ImageCodec {
    // Only these formats are accepted: ImageIO also offers WBMP, which has no signature (any short binary data
    // of the form 00 00 <width> <height> <bits> decodes as one), and TIFF, which no dataset here uses.
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");

    private ImageCodec() {
    }

    /**
     * Encodes an image as an 8-bit PNG: gray for 1 channel, RGB for 3 channels.
     *
     * @param image the image
     * @return the PNG file bytes
     */
    public static byte[] encodePng(RasterImage image) {
        int w = image.width();
        int h = image.height();
        byte[] hwc = image.pixels();
        BufferedImage out;
        if (image.channels() == 1) {
            out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
            System.arraycopy(hwc, 0, dst, 0, hwc.length);
        } else {
            out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < hwc.length; i += 3) {
                dst[i] = hwc[i + 2];
                dst[i + 1] = hwc[i + 1];
                dst[i + 2] = hwc[i];
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(out, "png", bytes)) {
                // The JDK always ships a PNG writer; its absence is a broken runtime, not bad input.
                throw new IllegalStateException("no PNG writer available in this Java runtime");
            }
        } catch (IOException e) {
            // Writing to memory cannot fail for I/O reasons.
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a PNG, JPEG, BMP or GIF file.
     *
     * <p>Damaged data is an error, not a partial image: a JPEG decoder warning (for example a truncated file,
     * which the JDK decoder would otherwise pad with gray) is reported as an exception.
     *
     * @param bytes the complete file content
     * @param what names the data in error messages, for example the file path or record id
     * @return the decoded image, 1 channel for gray images and 3 (RGB) otherwise
     * @throws IOException if the bytes are not a complete, decodable image in one of the four formats; the
     *     message contains {@code what}
     */
    public static RasterImage decode(byte[] bytes, String what) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = findReader(in);
            if (reader == null) {
                throw notDecodable(what, "not a PNG, JPEG, BMP or GIF file", null);
            }
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            try {
                reader.setInput(in, true, true);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels * 3 > Integer.MAX_VALUE - 8) {
                    throw notDecodable(what, String.format(Locale.ROOT, "%s of %d×%d pixels is too large, expected"
                            + " at most %d pixels", format, reader.getWidth(0), reader.getHeight(0),
                            (Integer.MAX_VALUE - 8) / 3), null);
                }
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw notDecodable(what, format + " data is damaged (" + String.join("; ", warnings) + ")",
                            null);
                }
                return toRaster(image);
            } catch (DecodeException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // Decoders signal damaged input with IIOException, EOFException and, on some malformed headers,
                // unchecked exceptions; all of them mean the same thing to the caller.
                String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw notDecodable(what, format + " decoder failed: " + detail, e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The first installed reader for one of the accepted formats that recognises the stream, or null. */
    private static ImageReader findReader(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            try {
                if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                    return reader;
                }
            } catch (IOException e) {
                // getFormatName only declares IOException; a reader that cannot name its format is skipped.
            }
            reader.dispose();
        }
        return null;
    }

    /** Converts a decoded image to 8-bit gray or RGB from its raw samples. */
    private static RasterImage toRaster(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int colorType = cm.getColorSpace().getType();
        if (!(cm instanceof IndexColorModel) && colorType == ColorSpace.TYPE_GRAY) {
            return new RasterImage(w, h, 1, bands(raster, 1));
        }
        if (!(cm instanceof IndexColorModel) && colorType == ColorSpace.TYPE_RGB && raster.getNumBands() >= 3) {
            return new RasterImage(w, h, 3, bands(raster, 3));
        }
        // Palette images and other colour spaces (for example CMYK) go through the colour model to sRGB.
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] hwc = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            hwc[3 * i] = (byte) (argb[i] >> 16);
            hwc[3 * i + 1] = (byte) (argb[i] >> 8);
            hwc[3 * i + 2] = (byte) argb[i];
        }
        return new RasterImage(w, h, 3, hwc);
    }

    /** Reads the first {@code count} bands as 8-bit HWC, rescaling samples that are not 8 bits wide. */
    private static byte[] bands(Raster raster, int count) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] hwc = new byte[w * h * count];
        int[] row = new int[w];
        for (int b = 0; b < count; b++) {
            int bits = raster.getSampleModel().getSampleSize(b);
            double max = (1L << bits) - 1;
            for (int y = 0; y < h; y++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, b, row);
                int at = y * w * count + b;
                for (int x = 0; x < w; x++, at += count) {
                    hwc[at] = (byte) (bits == 8 ? row[x] : Math.round(row[x] * 255 / max));
                }
            }
        }
        return hwc;
    }

    private static DecodeException notDecodable(String what, String reason, Throwable cause) {
        return new DecodeException(what + ": not a decodable image: " + reason, cause);
    }

    /** A failure already phrased for the caller, which the catch-all in {@link #decode} passes on unchanged. */
    private static final class DecodeException extends IOException {
        private static final long serialVersionUID = 1L;

        DecodeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
