package dev.vlmadapt.runtime.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlmadapt.runtime.data.DatasetFormatException;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.image.ImageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConceptCatalogTest {
    @TempDir
    Path dir;

    @Test
    void theInstalledCatalogHolds857ConceptsOfFiveCategories() throws IOException {
        ConceptCatalog catalog = ConceptCatalog.load(ConceptArtwork.modules(),
                Set.copyOf(ConceptCatalog.DEFAULT_CATEGORIES));
        assertEquals(857, catalog.concepts().size());
        Map<String, Long> byCategory = catalog.concepts().stream()
                .collect(Collectors.groupingBy(Concept::category, Collectors.counting()));
        assertEquals(Map.of("Animals & Nature", 159L, "Food & Drink", 131L, "Travel & Places", 218L, "Objects", 264L,
                "Activities", 85L), byCategory);
        Concept dog = catalog.byCode("1F436");
        assertEquals("dog face", dog.label());
        assertEquals("animal-mammal", dog.subcategory());
        assertTrue(dog.tags().contains("puppy"), dog.tags().toString());
        // FE0F is dropped from codes and ignored in lookups.
        assertEquals("thermometer", catalog.byCode("1F321-FE0F").label());
        assertEquals("1F321", catalog.byCode("1f321").code());
        assertEquals(857, catalog.concepts().stream().map(Concept::label).distinct().count());
    }

    @Test
    void styleCoverageAndRenderingAreStable() throws IOException {
        Path modules = ConceptArtwork.modules();
        ConceptCatalog catalog = ConceptCatalog.load(modules, Set.copyOf(ConceptCatalog.DEFAULT_CATEGORIES));
        StyleArtwork openmoji = StyleArtwork.open(new ArtStyle("openmoji", ArtStyle.Kind.SVG, "openmoji/color/svg",
                "CC-BY-SA-4.0", "OpenMoji"), modules);
        StyleArtwork google = StyleArtwork.open(new ArtStyle("google", ArtStyle.Kind.PNG,
                "emoji-datasource-google/img/google/64", "Apache-2.0", "Google"), modules);
        assertEquals(857, catalog.concepts().stream().filter(openmoji::has).count());
        assertEquals(857, catalog.concepts().stream().filter(google::has).count());
        // Fruit in two styles: one image per concept and style, named <style>/<code>; the mosque's SVG, which
        // Batik cannot render, is listed as skipped instead of dropped.
        Set<String> wanted = Set.of("food-fruit", "place-religious");
        LabeledImages images = ConceptImages.render(catalog, List.of(google, openmoji),
                c -> wanted.contains(c.subcategory()) ? 0 : -1, 64, 0xFFFFFF);
        assertEquals(2 * 26 - 1, images.size());
        assertEquals("google/1F347", images.names().get(0));
        assertEquals(1, images.skipped().size());
        assertTrue(images.skipped().get(0).startsWith("openmoji 1F54C ("), images.skipped().get(0));
        LabeledImages again = ConceptImages.render(catalog, List.of(google, openmoji),
                c -> wanted.contains(c.subcategory()) ? 0 : -1, 64, 0xFFFFFF);
        for (int i = 0; i < images.size(); i++) {
            assertTrue(java.util.Arrays.equals(ImageCodec.encodePng(images.images().get(i)),
                    ImageCodec.encodePng(again.images().get(i))), images.names().get(i));
        }
    }

    @Test
    void malformedOrInconsistentFilesAreRejectedNamingTheFile() throws IOException {
        Path ds = Files.createDirectories(dir.resolve("emoji-datasource-google"));
        Path eb = Files.createDirectories(dir.resolve("emojibase-data/en"));
        Files.writeString(eb.resolve("data.json"), "[{\"label\": \"dog face\", \"hexcode\": \"1F436\", \"tags\": []}]");
        Files.writeString(ds.resolve("emoji.json"), "{}");
        Set<String> cats = new HashSet<>(ConceptCatalog.DEFAULT_CATEGORIES);
        DatasetFormatException notArray = assertThrows(DatasetFormatException.class,
                () -> ConceptCatalog.load(dir, cats));
        assertTrue(notArray.getMessage().contains("emoji.json: expected a JSON array"), notArray.getMessage());
        Files.writeString(ds.resolve("emoji.json"), "[" + entry("1F436", "dog") + "," + entry("1F408", "cat") + "]");
        DatasetFormatException noLabel = assertThrows(DatasetFormatException.class,
                () -> ConceptCatalog.load(dir, cats));
        assertTrue(noLabel.getMessage().contains("no entry for 1F408"), noLabel.getMessage());
        Files.writeString(ds.resolve("emoji.json"), "[" + entry("1F436", "dog") + "]");
        assertEquals("dog face", ConceptCatalog.load(dir, cats).concepts().get(0).label());
        IOException missing = assertThrows(IOException.class, () -> ConceptCatalog.load(dir.resolve("none"), cats));
        assertTrue(missing.getMessage().contains("make data"), missing.getMessage());
    }

    private static String entry(String code, String shortName) {
        return "{\"unified\": \"" + code + "\", \"category\": \"Animals & Nature\", \"subcategory\": \"animal-mammal\","
                + " \"short_name\": \"" + shortName + "\", \"image\": \"" + code.toLowerCase() + ".png\", "
                + "\"sort_order\": 1}";
    }
}
