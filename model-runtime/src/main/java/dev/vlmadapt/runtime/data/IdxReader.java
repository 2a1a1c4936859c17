package dev.vlmadapt.runtime.data;

import dev.vlmadapt.runtime.image.RasterImage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads unsigned-byte IDX files as distributed for MNIST and Fashion-MNIST, plain or gzip-compressed (detected
 * from the gzip magic {@code 1f 8b}, not from the file name).
 *
 * <p>Layout: a big-endian magic number {@code 00 00 <type> <dimension count>}, one big-endian 32-bit size per
 * dimension, then exactly the product of the sizes in data bytes. Images are {@code 0x00000803}
 * (count × rows × columns), labels {@code 0x00000801} (count). Every deviation, including a truncated file or
 * bytes after the declared data, is reported as a {@link DatasetFormatException} naming the file, what was
 * found and what was expected.
 */
public final class IdxReader {
    /** Magic number of an unsigned-byte, 3-dimensional IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte, 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final Logger LOG = LoggerFactory.getLogger(IdxReader.class);
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /**
     * Reads an IDX image file into 8-bit gray images.
     *
     * @param file an {@code idx3-ubyte} file, optionally gzipped
     * @return the images in file order (unmodifiable)
     * @throws DatasetFormatException if the header or the amount of data is wrong
     * @throws IOException if the file cannot be read
     */
    public static List<RasterImage> readImages(Path file) throws IOException {
        try (InputStream in = DataFiles.open(file)) {
            int[] dims = readHeader(in, file, IMAGES_MAGIC, 3);
            int count = dims[0];
            int rows = dims[1];
            int cols = dims[2];
            int imageBytes;
            try {
                imageBytes = Math.multiplyExact(rows, cols);
            } catch (ArithmeticException e) {
                throw DatasetFormatException.of(file, "image size %d×%d is too large, expected at most %d pixels",
                        rows, cols, Integer.MAX_VALUE);
            }
            long expectedBytes = (long) count * imageBytes;
            // The declared count is untrusted until the data is there, so do not pre-size from it.
            List<RasterImage> images = new ArrayList<>(Math.min(count, 1 << 16));
            byte[] buf = new byte[imageBytes];
            for (int i = 0; i < count; i++) {
                int n = in.readNBytes(buf, 0, imageBytes);
                if (n < imageBytes) {
                    long found = (long) i * imageBytes + n;
                    throw DatasetFormatException.of(file,
                            "truncated IDX image data: expected %d images of %d×%d (%d data bytes), found %d data"
                                    + " bytes (%d complete images)", count, rows, cols, expectedBytes, found, i);
                }
                images.add(new RasterImage(cols, rows, 1, buf));
            }
            requireEnd(in, file, count + " images of " + rows + "×" + cols, expectedBytes);
            LOG.debug("Read {} images of {}×{} from {}", count, rows, cols, file);
            return Collections.unmodifiableList(images);
        } catch (ZipException | EOFException e) {
            throw corruptGzip(file, e);
        }
    }

    /**
     * Reads an IDX label file.
     *
     * @param file an {@code idx1-ubyte} file, optionally gzipped
     * @return one label in {@code [0, 255]} per record, in file order
     * @throws DatasetFormatException if the header or the amount of data is wrong
     * @throws IOException if the file cannot be read
     */
    public static int[] readLabels(Path file) throws IOException {
        try (InputStream in = DataFiles.open(file)) {
            int count = readHeader(in, file, LABELS_MAGIC, 1)[0];
            // readNBytes(int) grows its buffer as data arrives, so a lying header cannot force a huge allocation.
            byte[] raw = in.readNBytes(count);
            if (raw.length < count) {
                throw DatasetFormatException.of(file,
                        "truncated IDX label data: expected %d labels (%d data bytes), found %d", count, count,
                        raw.length);
            }
            requireEnd(in, file, count + " labels", count);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            LOG.debug("Read {} labels from {}", count, file);
            return labels;
        } catch (ZipException | EOFException e) {
            throw corruptGzip(file, e);
        }
    }

    /**
     * Reads a matching pair of image and label files, as one split of MNIST or Fashion-MNIST.
     *
     * @param images the {@code idx3-ubyte} image file
     * @param labels the {@code idx1-ubyte} label file
     * @param classCount number of classes; every label must be in {@code [0, classCount)}
     * @return images with their labels, in file order
     * @throws DatasetFormatException if either file is malformed, the counts differ, or a label is out of range
     * @throws IOException if a file cannot be read
     */
    public static LabeledImages read(Path images, Path labels, int classCount) throws IOException {
        if (classCount <= 0) {
            throw new IllegalArgumentException("classCount must be positive, got " + classCount);
        }
        List<RasterImage> imageList = readImages(images);
        int[] labelArray = readLabels(labels);
        if (imageList.size() != labelArray.length) {
            throw DatasetFormatException.of(labels, "found %d labels, expected %d (one per image in %s)",
                    labelArray.length, imageList.size(), images);
        }
        for (int i = 0; i < labelArray.length; i++) {
            if (labelArray[i] >= classCount) {
                throw DatasetFormatException.of(labels, "record %d: found label %d, expected a class in [0, %d)",
                        i, labelArray[i], classCount);
            }
        }
        return new LabeledImages(imageList, labelArray);
    }

    /**
     * Checks the magic number and reads the dimension sizes.
     *
     * @return the sizes, each positive
     */
    private static int[] readHeader(InputStream in, Path file, int expectedMagic, int dimensions)
            throws IOException {
        int headerBytes = 4 + 4 * dimensions;
        byte[] magicBytes = in.readNBytes(4);
        if (magicBytes.length < 4) {
            throw DatasetFormatException.of(file, "truncated IDX header: expected %d bytes, found %d", headerBytes,
                    magicBytes.length);
        }
        int magic = ByteBuffer.wrap(magicBytes).getInt();
        if (magic != expectedMagic) {
            throw DatasetFormatException.of(file, "bad IDX magic number: found 0x%08X (%s), expected 0x%08X (%s)",
                    magic, describe(magic), expectedMagic, describe(expectedMagic));
        }
        byte[] sizeBytes = in.readNBytes(4 * dimensions);
        if (sizeBytes.length < 4 * dimensions) {
            throw DatasetFormatException.of(file, "truncated IDX header: expected %d bytes, found %d", headerBytes,
                    4 + sizeBytes.length);
        }
        ByteBuffer sizes = ByteBuffer.wrap(sizeBytes);
        int[] dims = new int[dimensions];
        for (int d = 0; d < dimensions; d++) {
            dims[d] = sizes.getInt();
            if (dims[d] <= 0) {
                // Sizes are unsigned on disk; anything past Integer.MAX_VALUE cannot be held in a Java array anyway.
                throw DatasetFormatException.of(file, "IDX dimension %d: found size %s, expected a positive size"
                        + " of at most %d", d, Integer.toUnsignedString(dims[d]), Integer.MAX_VALUE);
            }
        }
        return dims;
    }

    /** Fails if anything follows the declared data. */
    private static void requireEnd(InputStream in, Path file, String declared, long dataBytes) throws IOException {
        long extra = in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            throw DatasetFormatException.of(file,
                    "trailing data: found %d bytes after the declared %s (%d data bytes), expected end of file",
                    extra, declared, dataBytes);
        }
    }

    /** Human-readable reading of an IDX magic number, for error messages. */
    private static String describe(int magic) {
        if ((magic >>> 16) != 0) {
            return "not an IDX file";
        }
        int type = (magic >>> 8) & 0xff;
        int dimensions = magic & 0xff;
        String typeName = switch (type) {
            case UNSIGNED_BYTE -> "unsigned bytes";
            case 0x09 -> "signed bytes";
            case 0x0B -> "shorts";
            case 0x0C -> "ints";
            case 0x0D -> "floats";
            case 0x0E -> "doubles";
            default -> String.format("unknown data type 0x%02X", type);
        };
        return typeName + ", " + dimensions + (dimensions == 1 ? " dimension" : " dimensions");
    }

    private static DatasetFormatException corruptGzip(Path file, IOException e) {
        return new DatasetFormatException(file + ": corrupt or truncated gzip stream: " + e.getMessage(), e);
    }
}
