package dev.vlmadapt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vlmadapt.runtime.image.RasterImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    // Non-square so that a rows/columns mix-up cannot go unnoticed.
    private static final int ROWS = 2;
    private static final int COLS = 4;
    private static final int COUNT = 3;

    @TempDir
    Path dir;

    @Test
    void readsPlainImagesAndLabelsExactly() throws IOException {
        byte[] data = pixelData();
        Path images = write("images.idx", idx(IdxReader.IMAGES_MAGIC, data, COUNT, ROWS, COLS), false);
        Path labels = write("labels.idx", idx(IdxReader.LABELS_MAGIC, new byte[] {7, 0, 9}, COUNT), false);

        List<RasterImage> read = IdxReader.readImages(images);
        assertEquals(expectedImages(data), read);
        // Pixel (y=1, x=3) of image 2 is the last byte of that image's row-major block.
        assertEquals(data[2 * ROWS * COLS + COLS + 3] & 0xff, read.get(2).get(1, 3, 0));
        assertEquals(COLS, read.get(0).width());
        assertEquals(ROWS, read.get(0).height());
        assertArrayEquals(new int[] {7, 0, 9}, IdxReader.readLabels(labels));
    }

    @Test
    void detectsGzipByMagicNotByName() throws IOException {
        byte[] data = pixelData();
        Path images = write("images-compressed.bin", idx(IdxReader.IMAGES_MAGIC, data, COUNT, ROWS, COLS), true);
        Path labels = write("labels-compressed.bin", idx(IdxReader.LABELS_MAGIC, new byte[] {1, 2, 3}, COUNT), true);

        LabeledImages set = IdxReader.read(images, labels, 10);
        assertEquals(expectedImages(data), set.images());
        assertArrayEquals(new int[] {1, 2, 3}, set.labels());
    }

    @Test
    void readsLabelsAbove127AsUnsigned() throws IOException {
        Path labels = write("labels.idx", idx(IdxReader.LABELS_MAGIC, new byte[] {(byte) 200, (byte) 255}, 2), false);
        assertArrayEquals(new int[] {200, 255}, IdxReader.readLabels(labels));
    }

    @Test
    void rejectsLabelFileGivenAsImages() throws IOException {
        Path labels = write("labels.idx", idx(IdxReader.LABELS_MAGIC, new byte[3], 3), false);
        assertMessage(() -> IdxReader.readImages(labels), "labels.idx",
                "found 0x00000801 (unsigned bytes, 1 dimension)", "expected 0x00000803 (unsigned bytes, 3 dimensions)");
    }

    @Test
    void rejectsImageFileGivenAsLabels() throws IOException {
        Path images = write("images.idx", idx(IdxReader.IMAGES_MAGIC, pixelData(), COUNT, ROWS, COLS), false);
        assertMessage(() -> IdxReader.readLabels(images), "images.idx", "found 0x00000803",
                "expected 0x00000801");
    }

    @Test
    void rejectsNonByteDataType() throws IOException {
        Path floats = write("floats.idx", idx(0x00000D03, new byte[0], 1, 1, 1), false);
        assertMessage(() -> IdxReader.readImages(floats), "floats.idx", "found 0x00000D03 (floats, 3 dimensions)",
                "expected 0x00000803");
    }

    @Test
    void rejectsNonIdxFile() throws IOException {
        Path png = write("picture.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0}, false);
        assertMessage(() -> IdxReader.readImages(png), "picture.png", "found 0x89504E47 (not an IDX file)",
                "expected 0x00000803");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        byte[] full = idx(IdxReader.IMAGES_MAGIC, pixelData(), COUNT, ROWS, COLS);
        Path shortMagic = write("short-magic.idx", Arrays.copyOf(full, 3), false);
        assertMessage(() -> IdxReader.readImages(shortMagic), "short-magic.idx", "truncated IDX header",
                "expected 16 bytes, found 3");
        Path shortSizes = write("short-sizes.idx", Arrays.copyOf(full, 10), false);
        assertMessage(() -> IdxReader.readImages(shortSizes), "short-sizes.idx", "truncated IDX header",
                "expected 16 bytes, found 10");
    }

    @Test
    void rejectsNonPositiveSizes() throws IOException {
        Path zero = write("zero.idx", idx(IdxReader.IMAGES_MAGIC, new byte[0], 0, ROWS, COLS), false);
        assertMessage(() -> IdxReader.readImages(zero), "zero.idx", "dimension 0: found size 0",
                "expected a positive size");
        Path huge = write("huge.idx", idx(IdxReader.IMAGES_MAGIC, new byte[0], 1, -1, COLS), false);
        assertMessage(() -> IdxReader.readImages(huge), "huge.idx", "dimension 1: found size 4294967295",
                "expected a positive size");
    }

    @Test
    void rejectsTruncatedImageData() throws IOException {
        byte[] full = idx(IdxReader.IMAGES_MAGIC, pixelData(), COUNT, ROWS, COLS);
        // Header (16) plus two and a half images.
        byte[] cut = Arrays.copyOf(full, 16 + 2 * ROWS * COLS + 4);
        for (boolean gzip : new boolean[] {false, true}) {
            Path file = write(gzip ? "cut-images.gz" : "cut-images.idx", cut, gzip);
            assertMessage(() -> IdxReader.readImages(file), file.getFileName().toString(),
                    "expected 3 images of 2×4 (24 data bytes)", "found 20 data bytes (2 complete images)");
        }
    }

    @Test
    void rejectsTruncatedLabelData() throws IOException {
        byte[] full = idx(IdxReader.LABELS_MAGIC, new byte[] {1, 2, 3}, COUNT);
        Path file = write("cut-labels.idx", Arrays.copyOf(full, full.length - 1), false);
        assertMessage(() -> IdxReader.readLabels(file), "cut-labels.idx", "expected 3 labels (3 data bytes)",
                "found 2");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        byte[] images = idx(IdxReader.IMAGES_MAGIC, pixelData(), COUNT, ROWS, COLS);
        for (boolean gzip : new boolean[] {false, true}) {
            Path file = write(gzip ? "long-images.gz" : "long-images.idx", Arrays.copyOf(images, images.length + 5),
                    gzip);
            assertMessage(() -> IdxReader.readImages(file), file.getFileName().toString(),
                    "found 5 bytes after the declared 3 images of 2×4 (24 data bytes)", "expected end of file");
        }
        byte[] labels = idx(IdxReader.LABELS_MAGIC, new byte[] {1, 2, 3}, COUNT);
        Path file = write("long-labels.idx", Arrays.copyOf(labels, labels.length + 1), false);
        assertMessage(() -> IdxReader.readLabels(file), "long-labels.idx",
                "found 1 bytes after the declared 3 labels (3 data bytes)", "expected end of file");
    }

    @Test
    void rejectsCorruptGzip() throws IOException {
        Path good = write("ok.gz", idx(IdxReader.IMAGES_MAGIC, pixelData(), COUNT, ROWS, COLS), true);
        byte[] gz = Files.readAllBytes(good);
        Path cut = write("cut-stream.gz", Arrays.copyOf(gz, gz.length - 10), false);
        assertMessage(() -> IdxReader.readImages(cut), "cut-stream.gz", "corrupt or truncated gzip stream");
    }

    @Test
    void rejectsLabelOutOfRange() throws IOException {
        Path images = write("images.idx", idx(IdxReader.IMAGES_MAGIC, pixelData(), COUNT, ROWS, COLS), false);
        Path labels = write("labels.idx", idx(IdxReader.LABELS_MAGIC, new byte[] {9, 10, 0}, COUNT), false);
        assertMessage(() -> IdxReader.read(images, labels, 10), "labels.idx", "record 1: found label 10",
                "expected a class in [0, 10)");
    }

    @Test
    void rejectsCountMismatch() throws IOException {
        Path images = write("images.idx", idx(IdxReader.IMAGES_MAGIC, pixelData(), COUNT, ROWS, COLS), false);
        Path labels = write("labels.idx", idx(IdxReader.LABELS_MAGIC, new byte[] {1, 2}, 2), false);
        assertMessage(() -> IdxReader.read(images, labels, 10), "labels.idx", "found 2 labels, expected 3",
                "images.idx");
    }

    @Test
    void rejectsNonPositiveClassCount() throws IOException {
        Path images = write("images.idx", idx(IdxReader.IMAGES_MAGIC, pixelData(), COUNT, ROWS, COLS), false);
        Path labels = write("labels.idx", idx(IdxReader.LABELS_MAGIC, new byte[] {1, 2, 3}, COUNT), false);
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read(images, labels, 0));
    }

    @Test
    void readsFashionMnistWhenInstalled() throws IOException {
        assumeTrue(Files.isDirectory(FASHION), "Fashion-MNIST not installed at " + FASHION);
        LabeledImages train = IdxReader.read(FASHION.resolve("train-images-idx3-ubyte.gz"),
                FASHION.resolve("train-labels-idx1-ubyte.gz"), 10);
        LabeledImages test = IdxReader.read(FASHION.resolve("t10k-images-idx3-ubyte.gz"),
                FASHION.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        checkFashionSplit(train, 60_000);
        checkFashionSplit(test, 10_000);
        // Spot values computed independently (Python gzip) from the same files.
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(train.labels(), 10));
        assertEquals(76_247, sum(train.images().get(0)));
    }

    private static void checkFashionSplit(LabeledImages split, int size) {
        assertEquals(size, split.size());
        int[] perClass = new int[10];
        for (int i = 0; i < size; i++) {
            RasterImage image = split.images().get(i);
            assertEquals(28, image.width());
            assertEquals(28, image.height());
            assertEquals(1, image.channels());
            perClass[split.labels()[i]]++;
        }
        // Both Fashion-MNIST splits are exactly balanced over the ten classes.
        int[] balanced = new int[10];
        Arrays.fill(balanced, size / 10);
        assertArrayEquals(balanced, perClass);
    }

    private static int sum(RasterImage image) {
        int s = 0;
        for (byte b : image.pixels()) {
            s += b & 0xff;
        }
        return s;
    }

    /** Runs {@code call}, expecting a DatasetFormatException whose message contains every fragment. */
    private static void assertMessage(Executable call, String... fragments) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "message lacks \"" + fragment + "\": " + e.getMessage());
        }
    }

    /** Three 2×4 images covering the whole unsigned range, including bytes that are negative in Java. */
    private static byte[] pixelData() {
        byte[] data = new byte[COUNT * ROWS * COLS];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 37 + 11);
        }
        return data;
    }

    private static List<RasterImage> expectedImages(byte[] data) {
        int n = ROWS * COLS;
        return List.of(new RasterImage(COLS, ROWS, 1, Arrays.copyOfRange(data, 0, n)),
                new RasterImage(COLS, ROWS, 1, Arrays.copyOfRange(data, n, 2 * n)),
                new RasterImage(COLS, ROWS, 1, Arrays.copyOfRange(data, 2 * n, 3 * n)));
    }

    /** Builds an IDX file: magic, the given dimension sizes, then {@code data} verbatim. */
    private static byte[] idx(int magic, byte[] data, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        if (gzip) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                out.write(content);
            }
            content = bytes.toByteArray();
        }
        return Files.write(file, content);
    }
}
