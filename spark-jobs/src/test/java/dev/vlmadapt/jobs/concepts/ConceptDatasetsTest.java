package dev.vlmadapt.jobs.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.runtime.data.LabeledImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The concept datasets of datasets.conf over the artwork `make data` installs, and bad entries. */
class ConceptDatasetsTest {
    static Path dataRoot;
    @TempDir
    Path dir;

    @BeforeAll
    static void artwork() {
        String root = System.getenv("VLMADAPT_DATA");
        dataRoot = Path.of(root != null ? root : "../data").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(dataRoot.resolve("npm/node_modules/emoji-datasource-google/emoji.json")),
                "the concept artwork is missing under " + dataRoot + ": run `make data` (make test does)");
    }

    private DatasetCatalog catalog(String extra) throws Exception {
        Path conf = Files.writeString(dir.resolve("extra.conf"), "vlmadapt.datasets {\n" + extra + "\n}\n");
        return new DatasetCatalog(JobConfig.load(conf, Map.of("data.root", dataRoot.toString())));
    }

    @Test
    void taskDatasetsTakeTheirClassesFromTheCatalog() throws Exception {
        DatasetCatalog c = catalog("");
        assertEquals(List.of("mammal", "bird", "sea animal", "bug", "reptile"), c.info("emoji-animal-kinds").classes());
        assertEquals(857, c.info("emoji-google").classes().size());
        List<String> mammals = c.info("emoji-mammals").classes();
        assertEquals(66, mammals.size());
        assertTrue(mammals.contains("dog face") && mammals.contains("tiger"), mammals.toString());
        assertEquals(39, c.info("emoji-fruit-vegetables").classes().size());
        assertEquals(159 + 131, c.info("hub-animals-food").classes().size());
        List<List<String>> tags = c.extraCaptions("hub-colour");
        assertEquals(857, tags.size());
        List<String> dog = tags.get(c.info("hub-colour").classes().indexOf("dog face"));
        assertEquals("dog face: adorbs, animal, dog, face, pet, puppies, puppy", dog.get(0));
        // Kind captions: the templates filled with the kind, shared with every mammal, then the label with it.
        assertEquals("an emoji of a mammal.", dog.get(1));
        assertEquals("dog face, a mammal", dog.get(dog.size() - 1));
        List<String> cat = tags.get(c.info("hub-colour").classes().indexOf("cat face"));
        assertTrue(cat.containsAll(dog.subList(1, dog.size() - 1)), cat.toString());
        List<String> grapes = tags.get(c.info("hub-colour").classes().indexOf("grapes"));
        assertTrue(grapes.contains("a cartoon fruit.") && grapes.contains("grapes, a fruit"), grapes.toString());
        assertEquals(List.of(), c.extraCaptions("emoji-mammals"));
        assertEquals(List.of(), c.extraCaptions("fashion-mnist"));
        assertEquals(List.of("train", "val", "test"), c.sourceSplits("emoji-animal-kinds"));
        assertEquals(List.of("train", "test"), c.sourceSplits("emoji-mammals"));
        LabeledImages val = c.load("emoji-animal-kinds", "val");
        assertTrue(val.size() > 0 && val.names().stream().allMatch(n -> n.startsWith("noto-v1/")));
    }

    @Test
    void splitsDrawFromTheirOwnStyles() throws Exception {
        DatasetCatalog c = catalog("""
                tiny-fruit = ${vlmadapt.concepts.dataset} { description = d, task = t, subcategories = [food-fruit]
                  styles { train = [google, twitter], test = [fxemoji] } }
                """);
        LabeledImages train = c.load("tiny-fruit", "train");
        LabeledImages test = c.load("tiny-fruit", "test");
        assertEquals(40, train.size());                            // 20 fruits in both styles
        assertTrue(train.names().stream().allMatch(n -> n.startsWith("google/") || n.startsWith("twitter/")));
        assertTrue(test.size() > 0 && test.size() < 20, "fxemoji draws some of the fruit: " + test.size());
        assertTrue(test.names().stream().allMatch(n -> n.startsWith("fxemoji/")));
        List<String> classes = c.info("tiny-fruit").classes();
        assertEquals("grapes", classes.get(train.labels()[0]));
        assertEquals(64, train.images().get(0).width());
    }

    @Test
    void badEntriesAreRejectedNamingTheKey() throws Exception {
        DatasetCatalog c = catalog("""
                a = ${vlmadapt.concepts.dataset} { description = d, task = t, styles { train = [google], test = [gogle] } }
                b = ${vlmadapt.concepts.dataset} { description = d, task = t, styles { train = [google], val = [twitter], test = [twitter] } }
                c = ${vlmadapt.concepts.dataset} { description = d, task = t, subcategories = [fruit] }
                d = ${vlmadapt.concepts.dataset} { description = d, task = t, classes-from = groups
                  groups = [ { name = x, subcategories = [drink] }, { name = y, subcategories = [drink] } ] }
                e = ${vlmadapt.concepts.dataset} { description = d, task = t, classes-from = styles }
                f = ${vlmadapt.concepts.dataset} { description = d, task = t, categories = [Food] }
                g = ${vlmadapt.concepts.dataset} { description = d, task = t, tag-captions = true, classes-from = groups
                  groups = [ { name = x, subcategories = [drink] } ] }
                """);
        assertMessage(() -> c.load("a", "test"), "vlmadapt.datasets.a.styles.test: unknown style 'gogle'");
        assertMessage(() -> c.load("b", "test"), "style 'twitter' is in both test and val");
        assertMessage(() -> c.info("c"), "vlmadapt.datasets.c.subcategories: unknown subcategory 'fruit'");
        assertMessage(() -> c.info("d"), "subcategory 'drink' is in more than one group");
        assertMessage(() -> c.info("e"), "vlmadapt.datasets.e.classes-from = 'styles'; expected concept or groups");
        assertMessage(() -> c.info("f"), "vlmadapt.datasets.f.categories: unknown category 'Food'");
        assertMessage(() -> c.extraCaptions("g"), "vlmadapt.datasets.g: tag-captions and kind-captions need "
                + "classes-from = concept");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
