package dev.vlmadapt.runtime.concepts;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The concept artwork that `make data` installs (make test does), for tests that read it. */
public final class ConceptArtwork {
    private ConceptArtwork() {
    }

    /** @return the npm node_modules folder holding the artwork ($VLMADAPT_DATA/npm, else ../data/npm) */
    public static Path modules() {
        String root = System.getenv("VLMADAPT_DATA");
        Path modules = Path.of(root != null ? root : "../data").resolve("npm/node_modules").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(modules.resolve("emoji-datasource-google/emoji.json"))
                && Files.isRegularFile(modules.resolve("@iconify-json/streamline-emojis/icons.json")),
                "the concept artwork is missing under " + modules + ": run `make data` (make test does)");
        return modules;
    }
}
