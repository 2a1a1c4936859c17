package dev.vlmadapt.jobs.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.jobs.TestSpark;
import dev.vlmadapt.jobs.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The concepts job over the installed artwork: one row per concept, its styles and WordNet sense. */
class ConceptsJobTest {
    @Test
    void writesTheConceptTable(@TempDir Path dir) throws Exception {
        String root = System.getenv("VLMADAPT_DATA");
        Path data = Path.of(root != null ? root : "../data").toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(data.resolve("npm/node_modules/openmoji")), "run `make data` (make test does)");
        assertEquals(0, Main.execute("concepts", "output.root=" + dir.resolve("runs"), "data.root=" + data,
                "spark.master=local[1]", "run-id=c"));
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("runs/concepts/c/summary.json").toFile());
        assertEquals(857, summary.path("concepts").asInt());
        assertEquals(857, summary.path("concepts_per_style").path("openmoji").asInt());
        assertEquals(217, summary.path("concepts_per_style").path("fxemoji").asInt());
        int mapped = summary.path("mapped_to_wordnet").asInt();
        assertTrue(mapped > 700 && mapped < 857, "mapped " + mapped);
        TestSpark.with(spark -> {
            List<Row> rows = spark.read().parquet(dir.resolve("runs/tables/concepts").toString())
                    .where("code = '1F405'").collectAsList();
            assertEquals(1, rows.size());
            Row tiger = rows.get(0);
            assertEquals("tiger", tiger.getAs("label"));
            assertEquals("tiger.n.02", tiger.getAs("synset"));
            assertEquals("emoji", tiger.getAs("catalog"));
            List<String> styles = tiger.getList(tiger.fieldIndex("styles"));
            assertTrue(styles.containsAll(List.of("google", "twitter", "openmoji")), styles.toString());
            assertEquals(857, spark.read().parquet(dir.resolve("runs/tables/concepts").toString()).count());
            return null;
        });
    }
}
