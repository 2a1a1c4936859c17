package dev.vlmadapt.runtime.data;

import dev.vlmadapt.runtime.image.RasterImage;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads scikit-learn's {@code digits.csv.gz}, the test set of the UCI "Optical Recognition of Handwritten
 * Digits" data (1,797 images), plain or gzip-compressed (detected from the gzip magic {@code 1f 8b}, not from
 * the file name).
 *
 * <p>Layout: no header; one image per line, 65 comma-separated numbers: 64 pixel values (8×8, row-major), each
 * the count of ink pixels in a 4×4 block and so in {@code [0, 16]}, then the label {@code 0}–{@code 9}. The
 * shipped file writes plain integers; decimals such as {@code 3.0} are accepted too, as NumPy would read them.
 * Blank lines are skipped. Pixels become 8-bit gray as {@code round(v·255/16)}, so 16 (full ink) is 255. Every
 * deviation is a {@link DatasetFormatException} naming the file, the line, the column, what was found and what
 * was expected.
 */
public final class UciDigitsReader {
    /** Image side in pixels. */
    public static final int SIDE = 8;
    /** Pixel values per image. */
    public static final int PIXELS = SIDE * SIDE;
    /** Columns per line: the pixels, then the label. */
    public static final int COLUMNS = PIXELS + 1;
    /** Largest pixel value (a fully inked 4×4 block). */
    public static final int MAX_VALUE = 16;
    /** Number of classes, the digits 0–9. */
    public static final int CLASSES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(UciDigitsReader.class);
    // Plain decimal notation only: Double.parseDouble alone would also take "NaN", "Infinity", hex floats and
    // Java suffixes such as "1d", none of which a CSV of pixel counts should contain.
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final int MAX_SHOWN = 20;

    private UciDigitsReader() {
    }

    /**
     * Reads all rows.
     *
     * @param csv {@code digits.csv.gz} or its decompressed form
     * @return 8×8 gray images with labels 0–9, in file order
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws DatasetFormatException if a line is malformed, a value is out of range, or there are no rows
     * @throws IOException if the file cannot be read
     */
    public static LabeledImages read(Path csv) throws IOException {
        List<RasterImage> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(DataFiles.open(csv), StandardCharsets.UTF_8))) {
            byte[] pixels = new byte[PIXELS];
            int lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != COLUMNS) {
                    throw DatasetFormatException.of(csv, "line %d: found %d columns, expected %d (%d pixel values of"
                            + " an %d×%d image, row-major, then the label)", lineNumber, cells.length, COLUMNS,
                            PIXELS, SIDE, SIDE);
                }
                for (int i = 0; i < PIXELS; i++) {
                    double v = number(cells[i]);
                    if (!(v >= 0 && v <= MAX_VALUE)) {
                        throw DatasetFormatException.of(csv, "line %d, column %d (pixel at row %d, column %d of the"
                                + " image): found %s, expected a number in [0, %d]", lineNumber, i + 1, i / SIDE, i % SIDE,
                                shown(cells[i]), MAX_VALUE);
                    }
                    pixels[i] = (byte) Math.round(v * 255 / MAX_VALUE);
                }
                double label = number(cells[PIXELS]);
                if (!(label >= 0 && label < CLASSES && label == Math.rint(label))) {
                    throw DatasetFormatException.of(csv, "line %d, column %d (label): found %s, expected an integer"
                            + " in [0, %d]", lineNumber, COLUMNS, shown(cells[PIXELS]), CLASSES - 1);
                }
                images.add(new RasterImage(SIDE, SIDE, 1, pixels));
                labels.add((int) label);
            }
            if (images.isEmpty()) {
                throw DatasetFormatException.of(csv, "found no rows in %d lines, expected lines of %d comma-separated"
                        + " numbers", lineNumber, COLUMNS);
            }
        } catch (ZipException | EOFException e) {
            throw new DatasetFormatException(csv + ": corrupt or truncated gzip stream: " + e.getMessage(), e);
        }
        LOG.debug("Read {} digit images from {}", images.size(), csv);
        return new LabeledImages(images, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Parses a cell as a plain decimal number, or returns NaN, which every range check rejects. */
    private static double number(String cell) {
        String s = cell.strip();
        return NUMBER.matcher(s).matches() ? Double.parseDouble(s) : Double.NaN;
    }

    /** Quotes a cell for an error message, shortened so a binary file does not flood the log. */
    private static String shown(String cell) {
        String s = cell.length() > MAX_SHOWN ? cell.substring(0, MAX_SHOWN) + "…" : cell;
        return "\"" + s + "\"";
    }

}
