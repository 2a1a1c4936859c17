package dev.vlmadapt.runtime.image;

import java.util.SplittableRandom;

/**
 * Augmentation that breaks an artwork's style while keeping what it shows, for pretraining CLIPs that should
 * recognise a concept in styles they never saw: a random scale and shift (the drawing shrunk to a fraction of
 * the frame and moved, the rest filled with the background), then one of three colour treatments: a line
 * rendering (the luminance's Sobel edge magnitude as dark lines on white, like outlined or high-contrast
 * styles), grayscale, or colour jitter (brightness, contrast and saturation factors). Written here because the
 * operations are a few lines each on {@link RasterImage}; every step is integer-rounded and seeded, so the same
 * seed gives the same bytes.
 *
 * @param minScale smallest scale of the drawing (1 = never shrunk)
 * @param lines probability of the line rendering
 * @param grayscale probability of grayscale (when not lines)
 * @param jitter largest relative change of brightness, contrast and saturation (otherwise)
 * @param background RGB fill of the uncovered frame
 */
public record StyleAugmentation(double minScale, double lines, double grayscale, double jitter, int background)
        implements java.io.Serializable {
    /** Validates ranges. */
    public StyleAugmentation {
        if (!(minScale > 0 && minScale <= 1) || !(lines >= 0 && lines <= 1) || !(grayscale >= 0 && grayscale <= 1)
                || !(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("expected 0 < min-scale <= 1, probabilities in [0, 1] and 0 <= jitter"
                    + " < 1, got " + minScale + ", " + lines + ", " + grayscale + ", " + jitter);
        }
    }

    /**
     * @param image an RGB or gray image
     * @param random the draws for this image
     * @return the augmented image, RGB, same size
     */
    public RasterImage apply(RasterImage image, SplittableRandom random) {
        RasterImage rgb = toRgb(image);
        double scale = minScale + (1 - minScale) * random.nextDouble();
        RasterImage placed = place(rgb, scale, random.nextDouble(), random.nextDouble(), background);
        double treatment = random.nextDouble();
        if (treatment < lines) {
            return lines(placed);
        }
        if (treatment < lines + (1 - lines) * grayscale) {
            return gray(placed);
        }
        return jitter(placed, 1 + jitter * (2 * random.nextDouble() - 1), 1 + jitter * (2 * random.nextDouble() - 1),
                1 + jitter * (2 * random.nextDouble() - 1));
    }

    /**
     * The image shrunk by {@code scale} (bicubic) and placed at a position in the free margin.
     *
     * @param fx where in the horizontal margin, in [0, 1]
     * @param fy where in the vertical margin, in [0, 1]
     */
    static RasterImage place(RasterImage rgb, double scale, double fx, double fy, int background) {
        int w = rgb.width();
        int h = rgb.height();
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        if (sw == w && sh == h) {
            return rgb;
        }
        RasterImage small = BicubicResampler.resize(rgb, sw, sh);
        int left = (int) Math.floor(fx * (w - sw + 1));
        int top = (int) Math.floor(fy * (h - sh + 1));
        left = Math.min(left, w - sw);
        top = Math.min(top, h - sh);
        byte[] out = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            out[3 * i] = (byte) (background >> 16);
            out[3 * i + 1] = (byte) (background >> 8);
            out[3 * i + 2] = (byte) background;
        }
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                for (int c = 0; c < 3; c++) {
                    out[((top + y) * w + left + x) * 3 + c] = (byte) small.get(y, x, c);
                }
            }
        }
        return new RasterImage(w, h, 3, out);
    }

    /** ITU-R BT.601 luma, rounded: {@code (299 R + 587 G + 114 B + 500) / 1000}. */
    static int luma(int r, int g, int b) {
        return (299 * r + 587 * g + 114 * b + 500) / 1000;
    }

    static RasterImage gray(RasterImage rgb) {
        byte[] out = new byte[rgb.width() * rgb.height() * 3];
        for (int y = 0; y < rgb.height(); y++) {
            for (int x = 0; x < rgb.width(); x++) {
                int v = luma(rgb.get(y, x, 0), rgb.get(y, x, 1), rgb.get(y, x, 2));
                int i = (y * rgb.width() + x) * 3;
                out[i] = out[i + 1] = out[i + 2] = (byte) v;
            }
        }
        return new RasterImage(rgb.width(), rgb.height(), 3, out);
    }

    /**
     * Dark lines where the luminance changes: {@code 255 − min(255, |Sobel|)}, where |Sobel| is the gradient
     * magnitude of the 3×3 Sobel filters (borders replicated), rounded.
     */
    static RasterImage lines(RasterImage rgb) {
        int w = rgb.width();
        int h = rgb.height();
        int[] l = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                l[y * w + x] = luma(rgb.get(y, x, 0), rgb.get(y, x, 1), rgb.get(y, x, 2));
            }
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int gx = at(l, w, h, x + 1, y - 1) + 2 * at(l, w, h, x + 1, y) + at(l, w, h, x + 1, y + 1)
                        - at(l, w, h, x - 1, y - 1) - 2 * at(l, w, h, x - 1, y) - at(l, w, h, x - 1, y + 1);
                int gy = at(l, w, h, x - 1, y + 1) + 2 * at(l, w, h, x, y + 1) + at(l, w, h, x + 1, y + 1)
                        - at(l, w, h, x - 1, y - 1) - 2 * at(l, w, h, x, y - 1) - at(l, w, h, x + 1, y - 1);
                int v = 255 - (int) Math.min(255, Math.round(Math.sqrt((double) gx * gx + (double) gy * gy)));
                int i = (y * w + x) * 3;
                out[i] = out[i + 1] = out[i + 2] = (byte) v;
            }
        }
        return new RasterImage(w, h, 3, out);
    }

    private static int at(int[] l, int w, int h, int x, int y) {
        return l[Math.max(0, Math.min(h - 1, y)) * w + Math.max(0, Math.min(w - 1, x))];
    }

    /**
     * Brightness, contrast (around the image's mean luma) and saturation (towards each pixel's luma) factors,
     * applied in that order and clamped to [0, 255].
     */
    static RasterImage jitter(RasterImage rgb, double brightness, double contrast, double saturation) {
        int w = rgb.width();
        int h = rgb.height();
        double[] v = new double[w * h * 3];
        double mean = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    v[(y * w + x) * 3 + c] = rgb.get(y, x, c) * brightness;
                }
                int i = (y * w + x) * 3;
                mean += 0.299 * v[i] + 0.587 * v[i + 1] + 0.114 * v[i + 2];
            }
        }
        mean /= w * h;
        byte[] out = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < 3; c++) {
                v[3 * i + c] = mean + contrast * (v[3 * i + c] - mean);
            }
            double luma = 0.299 * v[3 * i] + 0.587 * v[3 * i + 1] + 0.114 * v[3 * i + 2];
            for (int c = 0; c < 3; c++) {
                double s = luma + saturation * (v[3 * i + c] - luma);
                out[3 * i + c] = (byte) Math.max(0, Math.min(255, Math.round(s)));
            }
        }
        return new RasterImage(w, h, 3, out);
    }

    private static RasterImage toRgb(RasterImage image) {
        if (image.channels() == 3) {
            return image;
        }
        byte[] out = new byte[image.width() * image.height() * 3];
        byte[] px = image.pixels();
        for (int i = 0; i < px.length; i++) {
            out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = px[i];
        }
        return new RasterImage(image.width(), image.height(), 3, out);
    }
}
