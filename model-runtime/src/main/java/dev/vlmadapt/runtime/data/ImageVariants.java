package dev.vlmadapt.runtime.data;

import dev.vlmadapt.runtime.image.BicubicResampler;
import dev.vlmadapt.runtime.image.RasterImage;
import dev.vlmadapt.runtime.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic variants of a dataset for benchmark tasks that a model finds harder than the original:
 * a horizontal mirror, inverted intensities, rotation by a multiple of 90°, a low-resolution version
 * (bicubic down to a side, then back up), additive Gaussian pixel noise (seeded per image, so a variant is the
 * same on every machine). Applied in that order.
 *
 * @param mirror flip left-right
 * @param invert replace v by 255 − v
 * @param rotate degrees clockwise: 0, 90, 180 or 270
 * @param downscale side to resample down to and back (0 = none)
 * @param noise standard deviation of the noise in units of the 0–255 range (e.g. 0.3), 0 for none
 * @param seed seed of the noise
 */
public record ImageVariants(boolean mirror, boolean invert, int rotate, int downscale, double noise, long seed) {
    /** No change. */
    public static final ImageVariants NONE = new ImageVariants(false, false, 0, 0, 0, 0);

    public ImageVariants {
        if (rotate % 90 != 0 || rotate < 0 || rotate >= 360) {
            throw new IllegalArgumentException("rotate must be 0, 90, 180 or 270, got " + rotate);
        }
        if (noise < 0 || downscale < 0) {
            throw new IllegalArgumentException("noise and downscale must be >= 0, got " + noise + ", " + downscale);
        }
    }

    /**
     * @param data images and labels
     * @param split split name (part of the noise seed)
     * @return the variant (labels unchanged)
     */
    public LabeledImages apply(LabeledImages data, String split) {
        if (equals(NONE)) {
            return data;
        }
        List<RasterImage> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            out.add(apply(data.images().get(i), split, i));
        }
        return data.withImages(out);
    }

    /**
     * @param image an image
     * @param split split name
     * @param index index of the image in its split
     * @return its variant
     */
    public RasterImage apply(RasterImage image, String split, int index) {
        if (downscale > 0) {
            RasterImage small = BicubicResampler.resize(image, downscale, downscale);
            image = BicubicResampler.resize(small, image.width(), image.height());
        }
        int w = image.width();
        int h = image.height();
        int c = image.channels();
        byte[] src = image.pixels();
        int outW = rotate == 90 || rotate == 270 ? h : w;
        int outH = rotate == 90 || rotate == 270 ? w : h;
        byte[] dst = new byte[src.length];
        SplittableRandom r = noise > 0 ? new SplittableRandom(Seeds.derive(seed, "noise", split, index)) : null;
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                // Source pixel of output (x, y) under a clockwise rotation.
                int sx;
                int sy;
                switch (rotate) {
                    case 90 -> { sx = y; sy = h - 1 - x; }
                    case 180 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 270 -> { sx = w - 1 - y; sy = x; }
                    default -> { sx = x; sy = y; }
                }
                if (mirror) {
                    sx = w - 1 - sx;
                }
                for (int ch = 0; ch < c; ch++) {
                    double v = src[(sy * w + sx) * c + ch] & 0xff;
                    if (invert) {
                        v = 255 - v;
                    }
                    if (r != null) {
                        v += 255 * noise * r.nextGaussian();
                    }
                    dst[(y * outW + x) * c + ch] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return new RasterImage(outW, outH, c, dst);
    }
}
