package dev.vlmadapt.jobs.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.jobs.CliRun;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.TestSpark;
import dev.vlmadapt.jobs.cli.Main;
import dev.vlmadapt.runtime.hub.Ranking;
import dev.vlmadapt.runtime.hub.WideCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hub-import into the ranking table and rank over it, through the CLI in Spark local mode. */
class HubImportTest {
    private static final String CSV = "name,pretrained,params (M),FLOPs (B),ImageNet 1k,MNIST,STL-10\n"
            + "ViT-B-32,openai,151.28,8.82,0.6332,0.4826,0.9713\n"
            + "ViT-L-14,openai,427.62,175.33,0.7554,0.7636,0.9937\n"
            + "RN50,yfcc15m,102.01,18.18,0.3222,,0.8711\n"
            + "RN101,openai,119.69,25.5,0.6228,0.4886,0.9688\n";

    @TempDir
    Path dir;

    @Test
    void importReadsBackTheSameValuesAndRankOrdersThem() throws Exception {
        Path csv = Files.writeString(dir.resolve("published.csv"), CSV);
        String out = "output.root=" + dir.resolve("runs");
        assertEquals(0, Main.execute("hub-import", "--csv", csv.toString(), out, "run-id=h", "spark.master=local[1]"));
        List<Ranking> parsed = WideCsv.read(csv, "t").rankings();
        List<Ranking> back = TestSpark.with(spark -> {
            try {
                return RankingTable.readAll(new TableStore(spark, dir.resolve("runs/tables").toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Comparator<Ranking> order = Comparator.comparing(Ranking::model).thenComparing(Ranking::dataset);
        back = back.stream().sorted(order).toList();
        parsed = parsed.stream().sorted(order).toList();
        assertEquals(11, back.size());
        for (int i = 0; i < parsed.size(); i++) {
            Ranking a = parsed.get(i);
            Ranking b = back.get(i);
            assertEquals(a.model() + a.dataset(), b.model() + b.dataset());
            assertEquals(Double.doubleToLongBits(a.top1()), Double.doubleToLongBits(b.top1()), a.model());
            assertEquals(a.paramsM(), b.paramsM());
            assertEquals(a.gflops(), b.gflops());
            assertTrue(Double.isNaN(b.top5()) && b.n() == -1 && b.templatesHash() == null);
            assertEquals(Ranking.IMPORTED, b.source());
            assertNotEquals(null, b.evaluatedAt());
        }

        CliRun rank = CliRun.of("rank", "--dataset", "MNIST", out, "spark.master=local[1]");
        assertEquals(0, rank.code(), rank.all());
        String printed = rank.all();
        assertTrue(printed.contains("MNIST: 3 models, best first"), printed);
        assertTrue(printed.indexOf("ViT-L-14:openai") < printed.indexOf("RN101:openai")
                && printed.indexOf("RN101:openai") < printed.indexOf("ViT-B-32:openai"), printed);
        // RN50 has no MNIST result: the mean rank over all three datasets leaves it out.
        assertTrue(printed.contains("mean rank over 3 datasets (3 models with a result on each)"), printed);
    }

    @Test
    void aMalformedRowFailsTheImportUnlessAskedToSkipIt() throws Exception {
        Path csv = Files.writeString(dir.resolve("bad.csv"), CSV + "RN50x4,openai,178,51,75.1,0.5,0.9\n");
        String out = "output.root=" + dir.resolve("runs");
        CliRun failed = CliRun.of("hub-import", "--csv", csv.toString(), out, "run-id=a", "spark.master=local[1]");
        assertNotEquals(0, failed.code());
        String printed = failed.all();
        assertTrue(printed.contains("1 malformed row(s), nothing imported") && printed.contains(
                "line 6: ImageNet 1k = 75.1 is out of range [0, 1]"), printed);
        assertFalse(Files.exists(dir.resolve("runs/tables/rankings")), "nothing written");
        assertEquals(0, Main.execute("hub-import", "--csv", csv.toString(), out, "run-id=b", "spark.master=local[1]",
                "hub-import.skip-malformed=true"));
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("runs/hub-import/b/summary.json").toFile());
        assertEquals(11, summary.path("rankings").asInt());
        assertEquals("line 6: ImageNet 1k = 75.1 is out of range [0, 1]", summary.path("rejected").get(0).asText());
    }
}
