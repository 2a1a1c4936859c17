package dev.vlmadapt.jobs.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.jobs.CliRun;
import dev.vlmadapt.jobs.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Language-only selection through the CLI in Spark local mode, on a small table made here: hub-import with the
 * datasets' texts, select for a target file, and the leave-one-out evaluation.
 */
class SelectJobTest {
    // Five models; "pet photos" ranks them like ImageNet, "sketches" in reverse, "digits" its own way.
    private static final String CSV = "name,pretrained,params (M),FLOPs (B),ImageNet 1k,pet photos,sketches,digits\n"
            + "A,one,10,1,0.80,0.90,0.20,0.50\n"
            + "B,two,10,1,0.70,0.85,0.30,0.90\n"
            + "C,one,10,1,0.60,0.70,0.40,0.30\n"
            + "D,four,10,1,0.50,0.60,0.50,0.60\n"
            + "E,three,10,1,0.40,0.50,0.60,0.40\n";
    private static final String DESCRIPTIONS = "{"
            + "\"ImageNet 1k\": {\"domain\": \"natural photos\", \"task\": \"object recognition\", \"classes\": "
            + "[\"goldfish\", \"tabby cat\", \"fire truck\", \"banana\"]},"
            + "\"pet photos\": {\"domain\": \"photos of pets\", \"task\": \"name the breed\", \"classes\": "
            + "[\"beagle\", \"persian cat\", \"pug\"]},"
            + "\"sketches\": {\"domain\": \"pencil sketches and line drawings\", \"task\": \"name the drawn object\","
            + " \"classes\": [\"sketch of a house\", \"sketch of a tree\"]},"
            + "\"digits\": {\"domain\": \"handwritten digits\", \"task\": \"recognise the digit\", \"classes\": "
            + "[\"zero\", \"one\", \"two\"]}}";

    @TempDir
    Path dir;
    private String out;

    @BeforeEach
    void importTable() throws Exception {
        Path csv = Files.writeString(dir.resolve("table.csv"), CSV);
        Path desc = Files.writeString(dir.resolve("descriptions.json"), DESCRIPTIONS);
        out = "output.root=" + dir.resolve("runs");
        CliRun imp = CliRun.of("hub-import", "--csv", csv.toString(), "--descriptions", desc.toString(), out,
                "run-id=imp", "spark.master=local[1]");
        assertEquals(0, imp.code(), imp.all());
    }

    @Test
    void selectRanksTheTableForAnUnseenTargetAndWritesPredictions() throws Exception {
        Path target = Files.writeString(dir.resolve("target.json"), "{\"name\": \"my drawings\", \"domain\": "
                + "\"pencil line drawings\", \"task\": \"name the drawn object\", \"classes\": [\"sketch of a car\", "
                + "\"sketch of a bird\"], \"templates\": [\"a sketch of a {c}.\"]}");
        CliRun run = CliRun.of("select", "--table", dir.resolve("runs/tables/rankings").toString(), "--target",
                target.toString(), out, "run-id=s", "spark.master=local[1]");
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("my drawings: 5 models ranked from 4 datasets"), run.out());
        Path predictions = dir.resolve("runs/select/s/predictions.parquet");
        List<Row> rows = TestSpark.with(spark -> spark.read().parquet(predictions.toString()).orderBy("rank")
                .collectAsList());
        assertEquals(5, rows.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, rows.get(i).<Integer>getAs("rank"));
            assertEquals("my drawings", rows.get(i).getAs("target"));
        }
        // The drawings target reads most like "sketches", where E is best and A worst.
        assertEquals("E:three", rows.get(0).getAs("model"));
        assertEquals("three", rows.get(0).getAs("pretrained"));
        assertEquals("A:one", rows.get(4).getAs("model"));
        double first = rows.get(0).getAs("predicted_accuracy");
        double last = rows.get(4).getAs("predicted_accuracy");
        assertTrue(first > last && first <= 1 && last >= 0, first + " " + last);
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("runs/select/s/summary.json").toFile());
        assertEquals("E:three", summary.path("best").path("my drawings").asText());
        assertTrue(summary.path("selection_seconds").asDouble() > 0);
    }

    @Test
    void aTargetThatIsAColumnOfTheTableIsNotReadForItsOwnPrediction() throws Exception {
        Path target = Files.writeString(dir.resolve("target.json"), "{\"sketches\": {\"domain\": \"pencil "
                + "sketches and line drawings\", \"classes\": [\"sketch of a house\"]}}");
        CliRun run = CliRun.of("select", "--method", "language-only", "--target", target.toString(), out, "run-id=t",
                "spark.master=local[1]");
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("sketches: 5 models ranked from 3 datasets"), run.out());
    }

    @Test
    void leaveOneOutScoresEachDatasetButTheReference() throws Exception {
        CliRun run = CliRun.of("select-loo", out, "run-id=l", "spark.master=local[1]");
        assertEquals(0, run.code(), run.all());
        List<Row> rows = TestSpark.with(spark -> spark.read().parquet(dir.resolve("runs/select-loo/l/results.parquet")
                .toString()).collectAsList());
        assertEquals(12, rows.size(), "3 held-out datasets and their mean, 3 methods each");
        assertFalse(rows.stream().anyMatch(r -> r.getAs("target").equals("ImageNet 1k")));
        Row inbOnPets = rows.stream().filter(r -> r.getAs("target").equals("pet photos")
                && r.getAs("method").equals("reference-accuracy")).findFirst().orElseThrow();
        assertEquals(1.0, inbOnPets.<Double>getAs("kendall_tau"), 1e-12, "pet photos rank exactly like ImageNet");
        assertTrue(Files.readString(dir.resolve("runs/select-loo/l/results.md")).contains("| **mean** |"));
    }

    @Test
    void missingTextsAndBadTargetsAreRejectedWithWhatToDo() throws Exception {
        Path csv = Files.writeString(dir.resolve("more.csv"), CSV.replace("digits\n", "digits,cars\n")
                .replaceAll("(\\d)\\n", "$1,0.5\n"));
        Path desc = dir.resolve("descriptions.json");
        CliRun imp = CliRun.of("hub-import", "--csv", csv.toString(), "--descriptions", desc.toString(), out,
                "run-id=imp2", "spark.master=local[1]");
        assertEquals(2, imp.code(), imp.all());
        assertTrue(imp.all().contains("does not describe [cars]"), imp.all());
        // Imported without texts, the new column leaves selection without a text for it.
        assertEquals(0, CliRun.of("hub-import", "--csv", csv.toString(), out, "run-id=imp3",
                "spark.master=local[1]").code());
        Path target = Files.writeString(dir.resolve("target.json"), "{\"name\": \"x\", \"classes\": [\"y\"]}");
        CliRun select = CliRun.of("select", "--method", "language-only", "--target", target.toString(), out,
                "run-id=u", "spark.master=local[1]");
        assertEquals(2, select.code(), select.all());
        assertTrue(select.all().contains("no domain, task and class names for 1 dataset(s)")
                && select.all().contains("[cars]") && select.all().contains("hub-import --csv FILE --descriptions"),
                select.all());
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"name\": \"x\", \"classes\": \"y\"}");
        CliRun badRun = CliRun.of("select", "--target", bad.toString(), out, "run-id=v", "spark.master=local[1]");
        assertEquals(2, badRun.code(), badRun.all());
        assertTrue(badRun.all().contains("field \"classes\" must be a non-empty list"), badRun.all());
        assertFalse(Files.exists(dir.resolve("runs/select/v")), "no run directory for a rejected target");
    }
}
