package dev.vlmadapt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlmadapt.runtime.data.ImageFolderReader.Entry;
import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    private static final List<String> CLASSES = List.of("ant", "bee", "cat");

    @TempDir
    Path root;

    @Test
    void readsTreeOfPngsExactlyWithLabels() throws IOException {
        // Written out of order and with mixed channels and extension case; read back sorted per class.
        RasterImage bee2 = image(3, 5, 4, 1);
        RasterImage bee1 = image(1, 3, 2, 2);
        RasterImage ant1 = image(3, 2, 6, 3);
        RasterImage cat1 = image(1, 4, 4, 4);
        RasterImage cat2 = image(3, 1, 1, 5);
        png("bee/b2.png", bee2);
        png("bee/b1.PNG", bee1);
        png("ant/a1.png", ant1);
        png("cat/x/c2.png", cat2);
        png("cat/c1.png", cat1);
        // Ignored: hidden files and folders, non-image files, files next to the class folders.
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");
        Files.writeString(root.resolve("cat/._c1.png"), "macOS resource fork");
        png(".cache/ant/a9.png", ant1);
        png("cat/.thumbs/t.png", cat1);
        Files.writeString(root.resolve("README.md"), "about this dataset");

        assertEquals(CLASSES, ImageFolderReader.classNames(root));
        assertEquals(List.of(new Entry("ant/a1.png", 0), new Entry("bee/b1.PNG", 1), new Entry("bee/b2.png", 1),
                new Entry("cat/c1.png", 2), new Entry("cat/x/c2.png", 2)), ImageFolderReader.list(root, CLASSES));

        LabeledImages set = ImageFolderReader.read(root, CLASSES);
        assertEquals(List.of(ant1, bee1, bee2, cat1, cat2), set.images());
        assertArrayEquals(new int[] {0, 1, 1, 2, 2}, set.labels());

        // Labels follow the given class order, not the folder order.
        LabeledImages reordered = ImageFolderReader.read(root, List.of("cat", "ant", "bee"));
        assertArrayEquals(new int[] {0, 0, 1, 2, 2}, reordered.labels());
        assertEquals(cat1, reordered.images().get(0));
    }

    @Test
    void classNamesAreSortedByCodePoint() throws IOException {
        // Upper case sorts before lower case, and a character outside the BMP after every BMP character,
        // as in Python's sorted().
        for (String name : List.of("b", "B", "\uD83D\uDC1D", "\uFB01", "a")) {
            Files.createDirectories(root.resolve(name));
        }
        assertEquals(List.of("B", "a", "b", "\uFB01", "\uD83D\uDC1D"), ImageFolderReader.classNames(root));
    }

    @Test
    void rejectsEmptyClassFolder() throws IOException {
        png("ant/a.png", image(1, 2, 2, 1));
        png("bee/b.png", image(1, 2, 2, 1));
        Files.createDirectories(root.resolve("cat"));
        Files.writeString(root.resolve("cat/readme.txt"), "no images here");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolderReader.read(root, CLASSES));
        assertContains(e, root.toString(), "class folder \"cat\" has no images",
                "looked for .png, .jpg, .jpeg, .bmp, .gif");
    }

    @Test
    void rejectsCorruptImageNamingTheFile() throws IOException {
        tree();
        Path bad = root.resolve("bee/broken.jpg");
        Files.writeString(bad, "this is not a JPEG");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolderReader.read(root, CLASSES));
        assertContains(e, bad.toString(), "not a decodable image");
    }

    @Test
    void rejectsFolderThatIsNotAClass() throws IOException {
        tree();
        png("dog/d.png", image(1, 2, 2, 1));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolderReader.list(root, CLASSES));
        assertContains(e, root.toString(), "found folder \"dog\", which is not a class",
                "expected only the class folders [\"ant\", \"bee\", \"cat\"]");
    }

    @Test
    void rejectsMissingClassFolder() throws IOException {
        tree();
        List<String> classes = List.of("ant", "bee", "cat", "eel");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ImageFolderReader.list(root, classes));
        assertContains(e, root.resolve("eel").toString(), "class folder \"eel\" is missing");
    }

    @Test
    void rejectsMissingRoot() {
        Path missing = root.resolve("nowhere");
        for (Executable call : List.<Executable>of(() -> ImageFolderReader.classNames(missing),
                () -> ImageFolderReader.read(missing, CLASSES))) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, call);
            assertContains(e, missing.toString(), "not a directory", "one subdirectory per class");
        }
    }

    @Test
    void rejectsRootWithoutClassFolders() throws IOException {
        Files.writeString(root.resolve("image.png"), "loose file");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolderReader.classNames(root));
        assertContains(e, root.toString(), "found no class folders");
    }

    @Test
    void rejectsBadClassLists() throws IOException {
        tree();
        assertThrows(IllegalArgumentException.class, () -> ImageFolderReader.list(root, List.of()));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ImageFolderReader.list(root, List.of("ant", "bee", "ant", "cat")));
        assertTrue(twice.getMessage().contains("\"ant\" is listed twice"), twice.getMessage());
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
                () -> ImageFolderReader.list(root, List.of("ant", "../bee", "cat")));
        assertTrue(path.getMessage().contains("\"../bee\" is not a plain folder name"), path.getMessage());
    }

    /** One valid image per class. */
    private void tree() throws IOException {
        for (String name : CLASSES) {
            png(name + "/" + name + ".png", image(3, 3, 2, name.hashCode()));
        }
    }

    private void png(String relative, RasterImage image) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, ImageCodec.encodePng(image));
    }

    private static RasterImage image(int channels, int width, int height, long seed) {
        byte[] px = new byte[width * height * channels];
        new Random(seed).nextBytes(px);
        return new RasterImage(width, height, channels, px);
    }

    private static void assertContains(Exception e, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "missing \"" + fragment + "\" in: " + e.getMessage());
        }
    }
}
