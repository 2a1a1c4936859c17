package dev.vlmadapt.runtime.image;

import java.util.Arrays;

/**
 * An 8-bit image as decoded from a dataset: row-major, channels interleaved (HWC), 1 (gray) or 3 (RGB)
 * channels. Immutable.
 */
public final class RasterImage {
    private final int width;
    private final int height;
    private final int channels;
    private final byte[] pixels;

    /**
     * @param width columns
     * @param height rows
     * @param channels 1 or 3
     * @param pixels {@code height·width·channels} unsigned bytes, HWC (copied)
     */
    public RasterImage(int width, int height, int channels, byte[] pixels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "×" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (pixels.length != width * height * channels) {
            throw new IllegalArgumentException("expected " + width * height * channels + " pixel bytes for "
                    + width + "×" + height + "×" + channels + ", got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.pixels = pixels.clone();
    }

    /** @return columns */
    public int width() {
        return width;
    }

    /** @return rows */
    public int height() {
        return height;
    }

    /** @return 1 (gray) or 3 (RGB) */
    public int channels() {
        return channels;
    }

    /**
     * @param y row
     * @param x column
     * @param c channel
     * @return the value in [0, 255]
     */
    public int get(int y, int x, int c) {
        return pixels[(y * width + x) * channels + c] & 0xff;
    }

    /** @return a copy of the HWC bytes */
    public byte[] pixels() {
        return pixels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RasterImage r && width == r.width && height == r.height && channels == r.channels
                && Arrays.equals(pixels, r.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * width + height) + channels) + Arrays.hashCode(pixels);
    }
}
