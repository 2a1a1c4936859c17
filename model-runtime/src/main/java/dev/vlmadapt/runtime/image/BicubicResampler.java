package dev.vlmadapt.runtime.image;

/**
 * Bicubic resize that reproduces Pillow's {@code Image.resize(size, Image.BICUBIC)} bit for bit on 8-bit
 * images (a port of {@code libImaging/Resample.c}).
 *
 * <p>Hand-written because CLIP was trained on Pillow's antialiased bicubic resize and no Java library
 * reproduces it: AWT and the common imaging libraries use other kernels, and DJL's (PyTorch's) bicubic
 * {@code interpolate} uses a = -0.75 with no antialiasing, so downscaled images differ visibly.
 *
 * <p>Pillow's algorithm: a separable convolution with the cubic kernel a = -0.5, support 2. When
 * downscaling by a factor {@code scale > 1} the kernel is stretched by {@code scale} (antialiasing). The
 * horizontal pass runs first, then the vertical one; each pass uses fixed-point coefficients with
 * 22 (32 - 8 - 2) fraction bits and rounds and clamps its output to 8 bits, so the intermediate
 * image is 8-bit too. A pass whose size does not change is skipped, as in Pillow.
 */
public final class BicubicResampler {

    /** Pillow's fixed-point precision for 8-bit images: 32 bits less 8 for the value and 2 for overshoot. */
    static final int PRECISION_BITS = 32 - 8 - 2;

    private static final double SUPPORT = 2.0;
    private static final double A = -0.5;

    private BicubicResampler() {
    }

    /**
     * Resizes like Pillow's {@code Image.resize((newWidth, newHeight), Image.BICUBIC)}.
     *
     * @param in the source image (1 or 3 channels; channels are resampled independently)
     * @param newWidth output columns, positive
     * @param newHeight output rows, positive
     * @return a new image with the same number of channels
     */
    public static RasterImage resize(RasterImage in, int newWidth, int newHeight) {
        if (in == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        if (newWidth <= 0 || newHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + newWidth + "×" + newHeight);
        }
        int channels = in.channels();
        int width = in.width();
        int height = in.height();
        byte[] pixels = in.pixels();

        Coefficients vertical = Coefficients.of(height, newHeight);
        if (newWidth != width) {
            // Like Pillow, only the source rows the vertical pass reads go through the horizontal pass.
            int first = vertical.start[0];
            int last = vertical.start[newHeight - 1] + vertical.count[newHeight - 1];
            pixels = horizontal(pixels, width, channels, first, last - first, Coefficients.of(width, newWidth));
            vertical = vertical.shifted(-first);
            width = newWidth;
            height = last - first;
        }
        if (newHeight != in.height()) {
            pixels = vertical(pixels, width, channels, newHeight, vertical);
            height = newHeight;
        }
        return new RasterImage(width, height, channels, pixels);
    }

    private static byte[] horizontal(byte[] src, int srcWidth, int channels, int firstRow, int rows,
            Coefficients k) {
        int outWidth = k.start.length;
        byte[] out = new byte[rows * outWidth * channels];
        for (int y = 0; y < rows; y++) {
            int srcRow = (firstRow + y) * srcWidth * channels;
            int dstRow = y * outWidth * channels;
            for (int x = 0; x < outWidth; x++) {
                int base = srcRow + k.start[x] * channels;
                int[] w = k.weights[x];
                for (int c = 0; c < channels; c++) {
                    int acc = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < w.length; i++) {
                        acc += (src[base + i * channels + c] & 0xff) * w[i];
                    }
                    out[dstRow + x * channels + c] = clip8(acc);
                }
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] src, int width, int channels, int outHeight, Coefficients k) {
        int stride = width * channels;
        byte[] out = new byte[outHeight * stride];
        for (int y = 0; y < outHeight; y++) {
            int[] w = k.weights[y];
            int base = k.start[y] * stride;
            for (int j = 0; j < stride; j++) {
                int acc = 1 << (PRECISION_BITS - 1);
                for (int i = 0; i < w.length; i++) {
                    acc += (src[base + i * stride + j] & 0xff) * w[i];
                }
                out[y * stride + j] = clip8(acc);
            }
        }
        return out;
    }

    /** Pillow's {@code clip8}: drop the fraction bits (arithmetic shift, so floor) and clamp to [0, 255]. */
    private static byte clip8(int acc) {
        return (byte) Math.min(255, Math.max(0, acc >> PRECISION_BITS));
    }

    /** Pillow's {@code bicubic_filter}; the operation order is kept so the doubles round identically. */
    static double cubic(double x) {
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * A;
        }
        return 0.0;
    }

    /** Per output index: the first source index and the fixed-point weights of the source run. */
    private static final class Coefficients {
        final int[] start;
        final int[] count;
        final int[][] weights;

        private Coefficients(int[] start, int[] count, int[][] weights) {
            this.start = start;
            this.count = count;
            this.weights = weights;
        }

        /** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            double ss = 1.0 / filterScale;
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            int[][] weights = new int[outSize][];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                // (int) truncates toward zero, as the C cast does; the + 0.5 is Pillow's rounding.
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double[] k = new double[xmax];
                double ww = 0.0;
                for (int x = 0; x < xmax; x++) {
                    k[x] = cubic((x + xmin - center + 0.5) * ss);
                    ww += k[x];
                }
                int[] fixed = new int[xmax];
                for (int x = 0; x < xmax; x++) {
                    double v = ww != 0.0 ? k[x] / ww : k[x];
                    fixed[x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                            : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                start[xx] = xmin;
                count[xx] = xmax;
                weights[xx] = fixed;
            }
            return new Coefficients(start, count, weights);
        }

        Coefficients shifted(int delta) {
            int[] s = start.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] += delta;
            }
            return new Coefficients(s, count, weights);
        }
    }
}
