package dev.vlmadapt.runtime.image;

import dev.vlmadapt.runtime.clip.ClipConfig;
import java.util.Arrays;
import java.util.List;

/**
 * CLIP's image transform, as OpenAI's {@code clip.load} builds it with torchvision on PIL images:
 * {@code Resize(size, BICUBIC)}, {@code CenterCrop(size)}, RGB conversion, {@code ToTensor()},
 * {@code Normalize(mean, std)}. Output is a float {@code (3, size, size)} tensor in CHW order.
 *
 * <p>The size arithmetic follows torchvision exactly, since an off-by-one there shifts the whole crop:
 * the shorter side becomes {@code size} and the longer one is truncated, {@code int(size * long / short)}
 * ({@code _compute_resized_output_size}); the crop offset on each axis is {@code int(round((side - size)
 * / 2.0))} with Python's round-half-to-even. Gray images are replicated to three channels first, which
 * gives the same pixels as CLIP's convert-after-resize because the channels are resampled independently.
 * Instances are immutable and thread-safe.
 */
public final class ClipPreprocessor {
    private final int size;
    private final float[] mean;
    private final float[] std;

    /**
     * @param size side of the square output, positive
     * @param mean per-channel RGB mean (3 values, finite)
     * @param std per-channel RGB standard deviation (3 values, finite and non-zero)
     */
    public ClipPreprocessor(int size, float[] mean, float[] std) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        this.size = size;
        this.mean = checkRgb(mean, "mean");
        this.std = checkRgb(std, "std");
        for (float s : this.std) {
            if (s == 0f) {
                throw new IllegalArgumentException("std must be non-zero, got " + Arrays.toString(std));
            }
        }
    }

    private static float[] checkRgb(float[] v, String what) {
        if (v == null || v.length != 3) {
            throw new IllegalArgumentException(what + " must have 3 values, got " + Arrays.toString(v));
        }
        for (float f : v) {
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException(what + " must be finite, got " + Arrays.toString(v));
            }
        }
        return v.clone();
    }

    /**
     * @param config a model's architecture
     * @return the preprocessing that model expects: its input size and normalisation constants
     */
    public static ClipPreprocessor forModel(ClipConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        return new ClipPreprocessor(config.imageSize(), config.imageMean(), config.imageStd());
    }

    /** @return side of the square output in pixels */
    public int size() {
        return size;
    }

    /**
     * The 8-bit part of the transform: to RGB, bicubic resize of the shorter side to {@link #size()}, center
     * crop.
     *
     * @param image any size, 1 or 3 channels
     * @return a {@code size × size} RGB image, the pixels Pillow and torchvision would produce
     */
    public RasterImage resizeAndCrop(RasterImage image) {
        if (image == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        RasterImage rgb = toRgb(image);
        int w = rgb.width();
        int h = rgb.height();
        int shortSide = Math.min(w, h);
        int longSide = Math.max(w, h);
        // int(size * long / short): the integer product is exact and / is one correctly rounded double
        // division, the same steps as Python's int * int / int, so the truncation matches.
        int newLong = (int) ((double) ((long) size * longSide) / shortSide);
        int newW = w <= h ? size : newLong;
        int newH = w <= h ? newLong : size;
        RasterImage resized = BicubicResampler.resize(rgb, newW, newH);
        return crop(resized, cropOffset(newH), cropOffset(newW));
    }

    /** torchvision CenterCrop: {@code int(round((side - size) / 2.0))}; Math.rint rounds half to even. */
    private int cropOffset(int side) {
        return (int) Math.rint((side - size) / 2.0);
    }

    private RasterImage crop(RasterImage img, int top, int left) {
        if (top == 0 && left == 0 && img.width() == size && img.height() == size) {
            return img;
        }
        byte[] src = img.pixels();
        byte[] out = new byte[size * size * 3];
        int rowBytes = size * 3;
        for (int y = 0; y < size; y++) {
            System.arraycopy(src, ((top + y) * img.width() + left) * 3, out, y * rowBytes, rowBytes);
        }
        return new RasterImage(size, size, 3, out);
    }

    private static RasterImage toRgb(RasterImage image) {
        if (image.channels() == 3) {
            return image;
        }
        byte[] gray = image.pixels();
        byte[] rgb = new byte[gray.length * 3];
        for (int i = 0; i < gray.length; i++) {
            rgb[3 * i] = gray[i];
            rgb[3 * i + 1] = gray[i];
            rgb[3 * i + 2] = gray[i];
        }
        return new RasterImage(image.width(), image.height(), 3, rgb);
    }

    /**
     * The full transform of one image.
     *
     * @param image any size, 1 or 3 channels
     * @return {@code 3·size·size} floats, CHW, each {@code (v / 255 - mean[c]) / std[c]}
     */
    public float[] apply(RasterImage image) {
        float[] out = new float[3 * size * size];
        writeChw(resizeAndCrop(image), out, 0);
        return out;
    }

    /**
     * The full transform of a batch.
     *
     * @param images at least one image, each any size with 1 or 3 channels
     * @return {@code B·3·size·size} floats, a {@code (B, 3, size, size)} tensor in row-major order
     */
    public float[] applyBatch(List<RasterImage> images) {
        if (images == null || images.isEmpty()) {
            throw new IllegalArgumentException("batch must contain at least one image");
        }
        int plane = 3 * size * size;
        float[] out = new float[images.size() * plane];
        for (int b = 0; b < images.size(); b++) {
            RasterImage image = images.get(b);
            if (image == null) {
                throw new IllegalArgumentException("image " + b + " of the batch is null");
            }
            writeChw(resizeAndCrop(image), out, b * plane);
        }
        return out;
    }

    private void writeChw(RasterImage crop, float[] out, int offset) {
        byte[] px = crop.pixels();
        int n = size * size;
        for (int c = 0; c < 3; c++) {
            float m = mean[c];
            float s = std[c];
            int dst = offset + c * n;
            for (int i = 0; i < n; i++) {
                // Float32 steps in torchvision's order: ToTensor divides by 255, Normalize subtracts, divides.
                out[dst + i] = ((px[3 * i + c] & 0xff) / 255f - m) / s;
            }
        }
    }
}
