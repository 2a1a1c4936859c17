package dev.vlmadapt.runtime.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlmadapt.runtime.data.DatasetFormatException;
import dev.vlmadapt.runtime.image.Artwork;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IconifySetTest {
    @TempDir
    Path dir;

    /** A left-half bar in a 4×4 box (the set's default size), an alias flipping it, one with its own width. */
    private IconifySet set() throws IOException {
        Path file = dir.resolve("icons.json");
        Files.writeString(file, """
                {"prefix": "t", "width": 4, "height": 4,
                 "icons": {"dog-face": {"body": "<rect x='0' y='0' width='2' height='4' fill='#f00'/>"},
                           "wide": {"body": "<rect width='8' height='4' fill='#00f'/>", "width": 8},
                           "pinata": {"body": "<rect width='4' height='4'/>"}},
                 "aliases": {"mirrored-dog": {"parent": "dog-face", "hFlip": true},
                             "loop-a": {"parent": "loop-b"}, "loop-b": {"parent": "loop-a"}}}
                """);
        return IconifySet.read(file);
    }

    @Test
    void iconsAndAliasesBecomeStandaloneSvgs() throws IOException {
        IconifySet s = set();
        RasterImage plain = Artwork.fromSvg(s.svg("dog-face"), 8, 0xFFFFFF, "dog-face");
        assertEquals(255, plain.get(4, 1, 0));
        assertEquals(0, plain.get(4, 1, 1));                      // red on the left
        assertEquals(255, plain.get(4, 6, 1));                    // white on the right
        RasterImage flipped = Artwork.fromSvg(s.svg("mirrored-dog"), 8, 0xFFFFFF, "mirrored-dog");
        assertEquals(255, flipped.get(4, 1, 1));
        assertEquals(0, flipped.get(4, 6, 1));                    // the alias's hFlip moves it to the right
        assertTrue(s.svg("wide").contains("viewBox=\"0 0 8 4\""), s.svg("wide"));
        DatasetFormatException missing = assertThrows(DatasetFormatException.class, () -> s.svg("cat"));
        assertTrue(missing.getMessage().contains("'cat' does not exist"), missing.getMessage());
        assertThrows(DatasetFormatException.class, () -> s.svg("loop-a"));
    }

    @Test
    void conceptsMatchByLabelThenShortNameAsIconifySlugs() throws IOException {
        IconifySet s = set();
        assertEquals("dog-face", s.match(concept("dog face", "dog")));
        assertEquals("mirrored-dog", s.match(concept("Mirrored Dog", "x")));
        assertEquals("pinata", s.match(concept("piñata", "x")));
        assertEquals("wide", s.match(concept("no such label", "wide")));
        assertNull(s.match(concept("cat face", "cat")));
        assertEquals("womans-boot", IconifySet.slug("woman’s boot"));
        assertEquals("one-oclock", IconifySet.slug("one o’clock"));
        assertEquals("t-shirt", IconifySet.slug(" T-Shirt! "));
    }

    @Test
    void aFileThatIsNotAnIconSetIsRejectedWithItsPath() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), "{\"prefix\": \"x\"}");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IconifySet.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    private static Concept concept(String label, String shortName) {
        return new Concept("1F436", label, List.of(), "Animals & Nature", "animal-mammal", shortName, "1f436.png");
    }
}
