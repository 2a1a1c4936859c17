package dev.vlmadapt.jobs.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hub declared in reference.conf: every recipe reads, its datasets exist, and the models differ. */
class HubDeclarationTest {
    @Test
    void everyDeclaredModelHasAValidRecipeOverExistingDatasets() {
        String root = System.getenv("VLMADAPT_DATA");
        Path data = Path.of(root != null ? root : "../data").toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(data.resolve("npm/node_modules/openmoji")), "run `make data` (make test does)");
        JobConfig config = JobConfig.load(null, Map.of("data.root", data.toString()));
        DatasetCatalog catalog = new DatasetCatalog(config);
        Set<String> keys = config.section("hub.models").root().keySet();
        assertTrue(keys.size() >= 10, "at least ten hub models: " + keys);
        Set<String> distinct = new HashSet<>();
        for (String name : keys) {
            HubRecipe r = HubBuildJob.recipe(config, name);
            for (String d : r.datasets()) {
                assertTrue(catalog.info(d).classes().size() > 1, name + ": " + d);
            }
            distinct.add(r.datasets() + " " + r.architecture() + " " + r.spec());
        }
        assertEquals(keys.size(), distinct.size(), "no two hub models share a recipe");
        assertEquals(857, catalog.info("hub-colour").classes().size());
        // No hub mix contains a held-out style.
        for (String mix : new String[] {"hub-animals-food", "hub-objects-places", "hub-colour", "hub-line-art"}) {
            for (String held : new String[] {"emojione-v1", "fxemoji", "streamline"}) {
                assertTrue(!config.raw().getStringList("datasets.\"" + mix + "\".styles.train").contains(held), mix);
            }
        }
    }

    @Test
    void longerTrainingsAreScheduledFirst() {
        JobConfig config = JobConfig.load(null, Map.of(
                "hub.models.small.pretrain-tiny.epochs", "2",
                "hub.models.big.pretrain-tiny.epochs", "4",
                "hub.models.wide.pretrain-tiny.architecture.vision-width", "256",
                "hub.models.wide.pretrain-tiny.architecture.vision-heads", "4",
                "hub.models.wide.pretrain-tiny.epochs", "2"));
        HubRecipe small = HubBuildJob.recipe(config, "small");
        HubRecipe big = HubBuildJob.recipe(config, "big");
        HubRecipe wide = HubBuildJob.recipe(config, "wide");
        Map<String, Integer> sizes = Map.of("fashion-mnist", 1000, "mnist-digits", 500);
        // Twice the epochs: twice the cost; a wider image tower costs more per image.
        assertEquals(2 * small.trainingGflops(sizes), big.trainingGflops(sizes), 1e-9);
        assertTrue(wide.trainingGflops(sizes) > small.trainingGflops(sizes));
        assertEquals(java.util.List.of("big", "wide", "small"), HubRecipe.longestFirst(java.util.List.of(small, wide,
                big), sizes).stream().map(HubRecipe::name).toList());
        // A dataset capped by max-images-per-dataset counts only what is used.
        JobConfig capped = JobConfig.load(null, Map.of("hub.models.c.pretrain-tiny.max-images-per-dataset", "100",
                "hub.models.c.pretrain-tiny.epochs", "2"));
        assertEquals(small.trainingGflops(Map.of("fashion-mnist", 100, "mnist-digits", 100)),
                HubBuildJob.recipe(capped, "c").trainingGflops(sizes), 1e-9);
    }
}
