package dev.vlmadapt.runtime.image;

import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomResizedCrop(size, scale=(0.08, 1), ratio=(3/4, 4/3), interpolation=BICUBIC)}
 * followed by {@code RandomHorizontalFlip(0.5)}: CoOp's training augmentation. The crop box is drawn with
 * torchvision's algorithm (ten tries at a random area and log-uniform aspect ratio, else a center crop of the
 * nearest allowed ratio) from a caller-seeded {@link SplittableRandom}, so a view is reproducible from its seed.
 */
public final class RandomResizedCrop {
    /** A crop box: top row, left column, height, width, and whether the result is mirrored. */
    public record Box(int top, int left, int height, int width, boolean flip) {
    }

    private final int size;
    private final double minScale;
    private final double maxScale;
    private final double minRatio;
    private final double maxRatio;

    /**
     * @param size output side in pixels
     * @param minScale smallest crop area as a fraction of the image (torchvision: 0.08)
     * @param maxScale largest crop area fraction (1.0)
     * @param minRatio smallest width/height ratio (3/4)
     * @param maxRatio largest width/height ratio (4/3)
     */
    public RandomResizedCrop(int size, double minScale, double maxScale, double minRatio, double maxRatio) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (!(0 < minScale && minScale <= maxScale && maxScale <= 1)) {
            throw new IllegalArgumentException("need 0 < minScale <= maxScale <= 1, got " + minScale + ", " + maxScale);
        }
        if (!(0 < minRatio && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("need 0 < minRatio <= maxRatio, got " + minRatio + ", " + maxRatio);
        }
        this.size = size;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
    }

    /**
     * @param size output side in pixels
     * @return torchvision's defaults at that size
     */
    public static RandomResizedCrop standard(int size) {
        return new RandomResizedCrop(size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    }

    /**
     * @param width image width
     * @param height image height
     * @param random the view's random source
     * @return the crop box and flip
     */
    public Box sample(int width, int height, SplittableRandom random) {
        double area = (double) width * height;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double targetArea = area * uniform(random, minScale, maxScale);
            double aspect = Math.exp(uniform(random, logMin, logMax));
            int w = (int) Math.round(Math.sqrt(targetArea * aspect));
            int h = (int) Math.round(Math.sqrt(targetArea / aspect));
            if (0 < w && w <= width && 0 < h && h <= height) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                return new Box(top, left, h, w, random.nextBoolean());
            }
        }
        // Fallback: the whole image cut to the nearest allowed aspect ratio, centered.
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < minRatio) {
            h = (int) Math.round(w / minRatio);
        } else if (inRatio > maxRatio) {
            w = (int) Math.round(h * maxRatio);
        }
        return new Box((height - h) / 2, (width - w) / 2, h, w, random.nextBoolean());
    }

    /**
     * @param image any size, 1 or 3 channels
     * @param box a box inside the image
     * @return the box resized (bicubic) to {@code size × size}, mirrored if the box says so
     */
    public RasterImage apply(RasterImage image, Box box) {
        if (box.top() < 0 || box.left() < 0 || box.top() + box.height() > image.height()
                || box.left() + box.width() > image.width()) {
            throw new IllegalArgumentException(box + " is outside a " + image.width() + "×" + image.height() + " image");
        }
        RasterImage resized = BicubicResampler.resize(crop(image, box), size, size);
        return box.flip() ? mirror(resized) : resized;
    }

    /**
     * @param image any size, 1 or 3 channels
     * @param random the view's random source
     * @return one augmented view
     */
    public RasterImage apply(RasterImage image, SplittableRandom random) {
        return apply(image, sample(image.width(), image.height(), random));
    }

    static RasterImage crop(RasterImage image, Box box) {
        int c = image.channels();
        byte[] src = image.pixels();
        byte[] out = new byte[box.height() * box.width() * c];
        int row = box.width() * c;
        for (int y = 0; y < box.height(); y++) {
            System.arraycopy(src, ((box.top() + y) * image.width() + box.left()) * c, out, y * row, row);
        }
        return new RasterImage(box.width(), box.height(), c, out);
    }

    static RasterImage mirror(RasterImage image) {
        int c = image.channels();
        int w = image.width();
        byte[] src = image.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, (y * w + x) * c, out, (y * w + (w - 1 - x)) * c, c);
            }
        }
        return new RasterImage(w, image.height(), c, out);
    }

    private static double uniform(SplittableRandom random, double lo, double hi) {
        return lo == hi ? lo : random.nextDouble(lo, hi);
    }
}
