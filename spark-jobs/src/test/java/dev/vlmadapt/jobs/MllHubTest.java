package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLL end to end on a tiny random hub in Spark local mode: the semantic graph over the toy dataset's classes
 * (declared synsets), the models' labels (resumed), and selection for target files, including a class with no
 * WordNet match and classes that all match one node.
 */
class MllHubTest {
    @TempDir
    Path dir;

    @Test
    void graphLabelsAndSelectionOnATinyHub() throws Exception {
        Path conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 4, 2)
                + "vlmadapt.datasets.toy.synsets { stripes = \"stripe.n.01\", dot = \"dot.n.01\", frame = \"frame.n.01\" }\n"
                + "vlmadapt.datasets.toy-mirror = ${vlmadapt.datasets.toy} { transform { mirror = true } }\n");
        Path m1 = TinyModels.random(dir.resolve("models/m1"), 16, 1);
        Path m2 = TinyModels.random(dir.resolve("models/m2"), 16, 2);
        String[] common = {"--conf", conf.toString(), "output.root=" + dir.resolve("runs"), "spark.master=local[2]",
            "threads=1", "select.mll.sample-datasets=[toy]", "select.mll.graph-depth=2",
            "select.mll.images-per-class=3", "select.mll.models=[\"" + m1 + "\", \"" + m2 + "\"]"};

        CliRun ingest = CliRun.of(concat(new String[] {"ingest", "--dataset", "toy"}, common, "run-id=i"));
        assertEquals(0, ingest.code(), ingest.all());
        CliRun graph = CliRun.of(concat(new String[] {"semantic-graph"}, common, "run-id=g"));
        assertEquals(0, graph.code(), graph.all());
        JsonNode g = summary("semantic-graph", "g");
        assertEquals(3, g.path("nodes_per_level").path("0").asInt(), g.toString());
        int nodes = g.path("nodes").asInt();
        assertTrue(nodes > 3, "hypernyms added: " + nodes);

        CliRun label = CliRun.of(concat(new String[] {"label"}, common, "run-id=l1"));
        assertEquals(0, label.code(), label.all());
        List<Row> labels = TestSpark.with(s -> s.read().parquet(dir.resolve("runs/tables/model_labels").toString())
                .collectAsList());
        assertEquals(2 * 9, labels.size(), "2 models × 3 train images of each of 3 classes");
        for (Row r : labels) {
            assertEquals(nodes, r.getList(r.fieldIndex("sims")).size());
            assertEquals("toy", r.getAs("dataset"));
        }
        CliRun again = CliRun.of(concat(new String[] {"label"}, common, "run-id=l2"));
        assertEquals(0, again.code(), again.all());
        assertEquals(2, summary("label", "l2").path("already_labelled").size(), "labelled models are kept");

        // A class with no WordNet match still gets its nearest nodes and models.
        Path target = Files.writeString(dir.resolve("target.json"), "{\"name\": \"patterns\", \"domain\": \"fabric "
                + "photos\", \"classes\": [\"striped fabric\", \"qzxv blorp\", \"polka dots\"]}");
        CliRun select = CliRun.of(concat(new String[] {"select", "--target", target.toString(), "-k", "2"}, common,
                "run-id=s1"));
        assertEquals(0, select.code(), select.all());
        assertTrue(select.out().contains("patterns: 3 classes matched to"), select.out());
        List<Row> chosen = TestSpark.with(s -> s.read().parquet(dir.resolve("runs/select/s1/selection.parquet")
                .toString()).collectAsList());
        assertEquals(3 * 2, chosen.size(), "every class gets k = 2 models");
        assertEquals(2, chosen.stream().filter(r -> r.getAs("class").equals("qzxv blorp")).count());
        List<Row> ranked = TestSpark.with(s -> s.read().parquet(dir.resolve("runs/select/s1/predictions.parquet")
                .toString()).orderBy("rank").collectAsList());
        assertEquals(List.of(1, 2), ranked.stream().map(r -> r.<Integer>getAs("rank")).toList());

        // Classes that all match one node share it: one selected node.
        Path same = Files.writeString(dir.resolve("same.json"), "{\"name\": \"frames\", \"classes\": [\"frame: the "
                + "framework for a pair of eyeglasses\", \"frame: the framework for eyeglasses\"]}");
        CliRun one = CliRun.of(concat(new String[] {"select", "--target", same.toString()}, common, "run-id=s2",
                "select.mll.nodes-per-class=1"));
        assertEquals(0, one.code(), one.all());
        assertTrue(one.out().contains("frames: 2 classes matched to 1 graph nodes"), one.out());

        // The hub benchmark on toy-mirror: every method's row against the evaluated top-1.
        CliRun evaluate = CliRun.of(concat(new String[] {"evaluate"}, common, "run-id=e",
                "evaluate.models=[\"" + m1 + "\", \"" + m2 + "\"]", "evaluate.datasets=[toy, toy-mirror]"));
        assertEquals(0, evaluate.code(), evaluate.all());
        CliRun bench = CliRun.of(concat(new String[] {"select-bench"}, common, "run-id=b",
                "select.bench.targets=[toy-mirror]", "select.bench.k=[1, 2]", "select.bench.inb-datasets=[toy]",
                "select.bench.table-datasets=[toy]"));
        assertEquals(0, bench.code(), bench.all());
        List<Row> results = TestSpark.with(s -> s.read().parquet(dir.resolve("runs/select-bench/b/results.parquet")
                .toString()).collectAsList());
        assertEquals(List.of("mll", "mll", "inb", "table-similarity", "oracle", "random"),
                results.stream().map(r -> r.<String>getAs("method")).toList());
        double oracle = results.get(4).getAs("accuracy");
        for (Row r : results) {
            double acc = r.getAs("accuracy");
            assertTrue(acc >= 0 && acc <= 1, r.toString());
            assertEquals(oracle - acc, r.<Double>getAs("regret"), 1e-12, r.toString());
            double picked = r.getAs("selected_model_accuracy");
            assertTrue(picked <= oracle + 1e-12, r.toString());
        }
        assertTrue(Files.readString(dir.resolve("runs/select-bench/b/results.md")).contains("| toy-mirror |"));

        // reuse: the ensemble from encoded images, then from the feature table's features of the same images.
        CliRun reuse = CliRun.of(concat(new String[] {"reuse", "--dataset", "toy-mirror", "-k", "2"}, common,
                "run-id=r1"));
        assertEquals(0, reuse.code(), reuse.all());
        JsonNode r1 = summary("reuse", "r1");
        assertEquals(0, r1.path("from_stored_features").size());
        assertEquals(results.get(1).<Double>getAs("accuracy"), r1.path("top1").asDouble(), 1e-12,
                "select-bench's k = 2 ensemble is the same");
        String[] shots = {"--dataset", "toy-mirror", "splits.shots=2", "splits.val-shots=1", "features.shots=2"};
        assertEquals(0, CliRun.of(concat(new String[] {"splits"}, common, concat(shots, new String[0],
                "run-id=sp"))).code());
        for (Path m : List.of(m1, m2)) {
            CliRun f = CliRun.of(concat(new String[] {"features"}, common, concat(shots, new String[0],
                    "run-id=f" + m.getFileName(), "model.dir=" + m)));
            assertEquals(0, f.code(), f.all());
        }
        CliRun fromFeatures = CliRun.of(concat(new String[] {"reuse", "--dataset", "toy-mirror", "-k", "2"}, common,
                "run-id=r2"));
        assertEquals(0, fromFeatures.code(), fromFeatures.all());
        JsonNode r2 = summary("reuse", "r2");
        assertEquals(2, r2.path("from_stored_features").size(), r2.toString());
        assertEquals(r1.path("top1").asDouble(), r2.path("top1").asDouble(), 1e-9);
    }

    private JsonNode summary(String job, String run) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("runs/" + job + "/" + run + "/summary.json").toFile());
    }

    private static String[] concat(String[] a, String[] b, String... c) {
        return Stream.of(a, b, c).flatMap(Stream::of).toArray(String[]::new);
    }
}
