package dev.vlmadapt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UciDigitsReaderTest {
    // Where Debian's python3-sklearn installs the file, and where the build scripts unpack that package.
    /** Where `make data` puts the file (tests run in the module directory), or an installed scikit-learn. */
    private static final List<Path> REAL_FILES = List.of(Path.of("../data/sklearn/digits.csv.gz"),
            Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"),
            Path.of("/tmp/sk/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"));

    @TempDir
    Path dir;

    @Test
    void readsPixelsAndLabelsExactly() throws IOException {
        // Row 1 counts 0..16 then repeats; row 2 is written as floats, as NumPy's savetxt would.
        int[] first = IntStream.range(0, 64).map(i -> i % 17).toArray();
        int[] second = IntStream.range(0, 64).map(i -> 16 - i % 17).toArray();
        String text = row(first, "7") + "\n" + floats(second) + ",3.0\r\n\n";
        for (boolean gzip : new boolean[] {false, true}) {
            Path file = write(gzip ? "digits.csv.gz" : "digits.csv", text, gzip);
            LabeledImages set = UciDigitsReader.read(file);
            assertEquals(2, set.size());
            assertArrayEquals(new int[] {7, 3}, set.labels());
            assertEquals(expected(first), set.images().get(0));
            assertEquals(expected(second), set.images().get(1));
            RasterImage image = set.images().get(0);
            assertEquals(8, image.width());
            assertEquals(8, image.height());
            assertEquals(1, image.channels());
            // Pixel 9 is value 9 at row 1, column 1: round(9·255/16) = round(143.4375) = 143.
            assertEquals(143, image.get(1, 1, 0));
            // 16 is full ink, 8 is exactly halfway (127.5) and rounds up.
            assertEquals(255, image.get(2, 0, 0));
            assertEquals(128, image.get(1, 0, 0));
        }
    }

    @Test
    void rejectsWrongColumnCount() throws IOException {
        int[] ok = new int[64];
        Path file = write("short.csv", row(ok, "1") + "\n" + row(Arrays.copyOf(ok, 63), "1") + "\n", false);
        assertMessage(file, "short.csv", "line 2", "found 64 columns", "expected 65");
    }

    @Test
    void rejectsPixelAboveSixteen() throws IOException {
        int[] px = new int[64];
        px[10] = 17;
        Path file = write("bright.csv", "\n" + row(px, "4") + "\n", false);
        // Blank lines still count: the bad row is line 2. Pixel 10 is CSV column 11, image row 1, column 2.
        assertMessage(file, "bright.csv", "line 2", "column 11", "pixel at row 1, column 2 of the image", "found \"17\"",
                "expected a number in [0, 16]");
    }

    @Test
    void rejectsNegativePixel() throws IOException {
        int[] px = new int[64];
        px[0] = -1;
        assertMessage(write("negative.csv", row(px, "4"), false), "negative.csv", "line 1", "column 1",
                "found \"-1\"", "expected a number in [0, 16]");
    }

    @Test
    void rejectsLabelTen() throws IOException {
        Path file = write("label.csv", row(new int[64], "10") + "\n", false);
        assertMessage(file, "label.csv", "line 1", "column 65 (label)", "found \"10\"",
                "expected an integer in [0, 9]");
    }

    @Test
    void rejectsFractionalLabel() throws IOException {
        Path file = write("half.csv", row(new int[64], "2.5") + "\n", false);
        assertMessage(file, "half.csv", "line 1", "column 65 (label)", "found \"2.5\"", "expected an integer");
    }

    @Test
    void rejectsNonNumericValues() throws IOException {
        String[] cells = new String[64];
        Arrays.fill(cells, "0");
        cells[5] = "abc";
        Path file = write("text.csv", String.join(",", cells) + ",1\n", false);
        assertMessage(file, "text.csv", "line 1", "column 6", "found \"abc\"", "expected a number in [0, 16]");
        // Java would parse these, a CSV of pixel counts never holds them.
        for (String odd : new String[] {"NaN", "Infinity", "0x1p3", "4d", ""}) {
            cells[5] = odd;
            Path f = write("odd.csv", String.join(",", cells) + ",1\n", false);
            assertMessage(f, "odd.csv", "line 1", "column 6", "found \"" + odd + "\"");
        }
        Path label = write("word.csv", row(new int[64], "seven") + "\n", false);
        assertMessage(label, "word.csv", "line 1", "column 65", "found \"seven\"", "expected an integer in [0, 9]");
    }

    @Test
    void rejectsEmptyFileAndCorruptGzip() throws IOException {
        assertMessage(write("empty.csv", "\n\n", false), "empty.csv", "found no rows", "expected lines of 65");
        byte[] gz = Files.readAllBytes(write("ok.csv.gz", row(new int[64], "1") + "\n", true));
        Path cut = dir.resolve("cut.csv.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length - 6));
        assertMessage(cut, "cut.csv.gz", "corrupt or truncated gzip stream");
    }

    @Test
    void readsRealScikitLearnFile() throws IOException {
        Path real = REAL_FILES.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        assertNotNull(real, "digits.csv.gz not found in " + REAL_FILES + "; run `make data` (make test does)");
        LabeledImages set = UciDigitsReader.read(real);
        assertEquals(1797, set.size());
        int[] perClass = new int[10];
        for (int label : set.labels()) {
            perClass[label]++;
        }
        // The published class counts of the UCI test set as shipped by scikit-learn.
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, perClass);
        for (RasterImage image : set.images()) {
            assertEquals(8, image.width());
            assertEquals(8, image.height());
            assertEquals(1, image.channels());
        }
        // First row of the file: 0,0,5,13,9,1,0,0,... label 0.
        assertEquals(0, set.labels()[0]);
        assertEquals(Math.round(5 * 255 / 16.0), set.images().get(0).get(0, 2, 0));
        assertEquals(Math.round(13 * 255 / 16.0), set.images().get(0).get(0, 3, 0));
    }

    private static String row(int[] pixels, String label) {
        return Arrays.stream(pixels).mapToObj(Integer::toString).collect(Collectors.joining(",")) + "," + label;
    }

    private static String floats(int[] pixels) {
        return Arrays.stream(pixels).mapToObj(v -> v + ".0").collect(Collectors.joining(","));
    }

    private static RasterImage expected(int[] values) {
        byte[] px = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            px[i] = (byte) Math.round(values[i] * 255 / 16.0);
        }
        return new RasterImage(8, 8, 1, px);
    }

    private Path write(String name, String text, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(bytes);
            }
        } else {
            Files.write(file, bytes);
        }
        return file;
    }

    private static void assertMessage(Path file, String... fragments) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> UciDigitsReader.read(file));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "missing \"" + fragment + "\" in: " + e.getMessage());
        }
    }
}
