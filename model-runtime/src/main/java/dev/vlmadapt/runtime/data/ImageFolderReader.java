package dev.vlmadapt.runtime.data;

import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ImageNet-style layout {@code root/<class name>/<image files>} that torchvision's
 * {@code ImageFolder} reads.
 *
 * <p>Classes are the subdirectories of the root, sorted by name; the label of an image is the index of its
 * class in the class list. Images are the regular files with a {@code .png}, {@code .jpg}, {@code .jpeg},
 * {@code .bmp} or {@code .gif} extension (any letter case) anywhere below a class folder, sorted by relative
 * path. Names starting with a dot (hidden folders, macOS {@code ._*} resource files) are ignored everywhere,
 * as are other files, such as a README next to the class folders. Symbolic links are followed.
 *
 * <p>The layout is checked before any image is decoded: every listed class must have a folder with at least
 * one image, and every folder under the root must be a listed class, so a typo in a class list or a stray
 * folder is reported instead of silently dropping data.
 */
public final class ImageFolderReader {
    /** File extensions read as images, lower case, without the dot. */
    public static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderReader.class);
    private static final String LOOKED_FOR = IMAGE_EXTENSIONS.stream().map(e -> "." + e)
            .collect(Collectors.joining(", ")) + " in any letter case";
    private static final int MAX_LISTED_CLASSES = 20;
    // Python sorts strings by code point; String.compareTo compares UTF-16 units, which differs for characters
    // outside the Basic Multilingual Plane. Sorting like Python keeps class indices identical to torchvision's.
    private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    /**
     * One image of the folder.
     *
     * @param relativePath path below the root with {@code /} separators, starting with the class folder, for
     *     example {@code n01440764/n01440764_10026.JPEG}; stable across machines, so usable as an id
     * @param label index of the class in the class list
     */
    public record Entry(String relativePath, int label) {
    }

    private ImageFolderReader() {
    }

    /**
     * Lists the classes of a folder, as torchvision's {@code ImageFolder} does.
     *
     * @param root the dataset folder
     * @return the names of the non-hidden subdirectories, sorted by code point
     * @throws NoSuchFileException if the root is not a directory
     * @throws DatasetFormatException if the root has no class folders
     * @throws IOException if the root cannot be listed
     */
    public static List<String> classNames(Path root) throws IOException {
        List<String> names = classFolders(root);
        if (names.isEmpty()) {
            throw DatasetFormatException.of(root, "found no class folders, expected one subdirectory per class"
                    + " holding its images");
        }
        return names;
    }

    /**
     * Lists the images of every class without decoding them.
     *
     * @param root the dataset folder
     * @param classNames the classes, in label order; each must be a folder directly under the root, and every
     *     non-hidden folder under the root must be one of them
     * @return the images, ordered by label, then by relative path
     * @throws IllegalArgumentException if the class list is empty, has duplicates, or a name is not a plain,
     *     non-hidden folder name
     * @throws NoSuchFileException if the root or a class folder does not exist
     * @throws DatasetFormatException if a class folder has no images or the root holds a folder that is not a
     *     listed class
     * @throws IOException if a folder cannot be listed
     */
    public static List<Entry> list(Path root, List<String> classNames) throws IOException {
        checkClassNames(classNames);
        Set<String> expected = new HashSet<>(classNames);
        for (String folder : classFolders(root)) {
            if (!expected.contains(folder)) {
                throw DatasetFormatException.of(root, "found folder \"%s\", which is not a class; expected only the"
                        + " class folders %s", folder, describe(classNames));
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (int label = 0; label < classNames.size(); label++) {
            String name = classNames.get(label);
            Path dir = root.resolve(name);
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir.toString(), null, "class folder \"" + name + "\" is missing;"
                        + " expected one folder per class " + describe(classNames));
            }
            List<String> files = imageFiles(root, dir);
            if (files.isEmpty()) {
                throw DatasetFormatException.of(root, "class folder \"%s\" has no images (looked for %s), expected"
                        + " at least one", name, LOOKED_FOR);
            }
            for (String file : files) {
                entries.add(new Entry(file, label));
            }
        }
        LOG.debug("Listed {} images in {} classes under {}", entries.size(), classNames.size(), root);
        return entries;
    }

    /**
     * Reads every image of every class into memory; for large datasets, use {@link #list} and
     * {@link #readImage} to stream instead.
     *
     * @param root the dataset folder
     * @param classNames the classes, in label order, as for {@link #list}
     * @return the images with their labels, ordered as {@link #list} orders them
     * @throws IllegalArgumentException if the class list is invalid, as for {@link #list}
     * @throws NoSuchFileException if the root or a class folder does not exist
     * @throws DatasetFormatException if the layout is wrong, as for {@link #list}, or a file is not a decodable
     *     image
     * @throws IOException if a folder or file cannot be read
     */
    public static LabeledImages read(Path root, List<String> classNames) throws IOException {
        List<Entry> entries = list(root, classNames);
        List<RasterImage> images = new ArrayList<>(entries.size());
        int[] labels = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            images.add(readImage(root.resolve(entry.relativePath())));
            labels[i] = entry.label();
        }
        return new LabeledImages(images, labels);
    }

    /**
     * Decodes one image file (PNG, JPEG, BMP or GIF, recognised by content): gray images keep 1 channel, all
     * others become RGB.
     *
     * @param file the image file
     * @return the image
     * @throws DatasetFormatException if the file is not a complete, decodable image; the message names the file
     * @throws IOException if the file cannot be read
     */
    public static RasterImage readImage(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return ImageCodec.decode(bytes, file.toString());
        } catch (IOException e) {
            // The codec's message already starts with the file path.
            throw new DatasetFormatException(e.getMessage(), e);
        }
    }

    /** The non-hidden subdirectories of the root, sorted. */
    private static List<String> classFolders(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null,
                    "not a directory; expected an image folder holding one subdirectory per class");
        }
        List<String> names = new ArrayList<>();
        // A DirectoryStream reports listing errors as IOException; Files.list would wrap them unchecked.
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                if (Files.isDirectory(child) && !isHidden(child)) {
                    names.add(child.getFileName().toString());
                }
            }
        }
        names.sort(CODE_POINT_ORDER);
        return names;
    }

    /** Relative paths ({@code /}-separated, from the root) of the images below a class folder, sorted. */
    private static List<String> imageFiles(Path root, Path classDir) throws IOException {
        List<String> files = new ArrayList<>();
        Files.walkFileTree(classDir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        // Pruned rather than filtered, so a large hidden folder (say .git) is not walked at all.
                        return !dir.equals(classDir) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && !isHidden(file) && isImageName(file.getFileName().toString())) {
                            files.add(slashed(root.relativize(file)));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        files.sort(CODE_POINT_ORDER);
        return files;
    }

    private static boolean isHidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    private static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String slashed(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    private static void checkClassNames(List<String> classNames) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("class list is empty, expected at least one class");
        }
        Set<String> seen = new HashSet<>();
        for (String name : classNames) {
            if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("class name \"" + name + "\" is not a plain folder name;"
                        + " expected a non-empty name without path separators that does not start with a dot");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("class \"" + name + "\" is listed twice");
            }
        }
    }

    /** The class list for a message, shortened when long (ImageNet has 1,000 classes). */
    private static String describe(List<String> classNames) {
        String shown = classNames.stream().limit(MAX_LISTED_CLASSES).map(n -> "\"" + n + "\"")
                .collect(Collectors.joining(", "));
        if (classNames.size() > MAX_LISTED_CLASSES) {
            shown += ", … (" + classNames.size() + " in all)";
        }
        return "[" + shown + "]";
    }
}
