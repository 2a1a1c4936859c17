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
}
