package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.DriverParquet;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.select.RankingMetrics;
import dev.vlmadapt.runtime.select.SelectionTarget;
import dev.vlmadapt.runtime.select.SemanticGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.SparkSession;

/**
 * {@code select} with MLL: prints each class's matched nodes and chosen models, and each model's score on the
 * task; writes {@code selection.parquet} (target, class, nodes, k, rank, model, score) and
 * {@code predictions.parquet} (the models ranked by their MLL score, which is a score in [0, 1], not an accuracy).
 */
final class MllSelectRun {
    static final MessageType SELECTION = MessageTypeParser.parseMessageType("message selection {"
            + " required binary target (UTF8); required binary class (UTF8); required binary nodes (UTF8);"
            + " required int32 k; required int32 rank; required binary model (UTF8); required double score; }");

    private record Chosen(String target, String cls, String nodes, int k, int rank, String model, double score) {
    }

    private MllSelectRun() {
    }

    static Map<String, Object> run(JobConfig config, SparkSession spark, List<SelectionTarget> targets, String job)
            throws Exception {
        int k = config.integer("select.mll.k", 1);
        try (RunDirectory run = RunDirectory.create(config, job)) {
            MllSelect mll = new MllSelect(config, spark, new TableStore(spark, config.string("tables.root")));
            List<Chosen> chosen = new ArrayList<>();
            List<SelectJob.Predicted> predicted = new ArrayList<>();
            Map<String, Object> perTarget = new LinkedHashMap<>();
            for (SelectionTarget t : targets) {
                MllSelect.Result r = mll.select(t, k);
                String name = t.text().name();
                System.out.printf(Locale.ROOT, "%s: %d classes matched to %d graph nodes; %d models per class from %d "
                        + "labelled models (%.2f s)%n", name, t.text().classes().size(), r.match().selected().length,
                        k, r.models().size(), r.seconds());
                for (int y = 0; y < t.text().classes().size(); y++) {
                    String nodes = nodeNames(mll.graph().graph(), r.match().topNodes().get(y));
                    System.out.printf(Locale.ROOT, "  %-28s %-60s -> %s%n", t.text().classes().get(y),
                            abbreviate(nodes, 60), String.join(", ", r.chosen(y)));
                    int[] c = r.selection().chosen().get(y);
                    for (int i = 0; i < c.length; i++) {
                        chosen.add(new Chosen(name, t.text().classes().get(y), nodes, k, i + 1, r.models().get(c[i]),
                                r.selection().mixedScores()[c[i]][y]));
                    }
                }
                int[] order = RankingMetrics.topK(r.selection().modelScores(), r.models().size());
                System.out.println("  models by MLL score on the task:");
                for (int i = 0; i < order.length; i++) {
                    double score = r.selection().modelScores()[order[i]];
                    predicted.add(new SelectJob.Predicted(name, r.models().get(order[i]), score, i + 1));
                    System.out.printf(Locale.ROOT, "  %4d  %-40s %.4f  (chosen by %d classes)%n", i + 1,
                            r.models().get(order[i]), score, r.selection().votes()[order[i]]);
                }
                perTarget.put(name, Map.of("best", r.models().get(order[0]), "selection_seconds", r.seconds(),
                        "selected_nodes", r.match().selected().length));
            }
            DriverParquet.write(run.work().resolve("selection.parquet"), SELECTION, chosen, (c, g) -> g
                    .append("target", c.target()).append("class", c.cls()).append("nodes", c.nodes())
                    .append("k", c.k()).append("rank", c.rank()).append("model", c.model())
                    .append("score", c.score()));
            SelectJob.writePredictions(run.work().resolve("predictions.parquet"), predicted);
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("method", "mll");
            results.put("k", k);
            results.put("targets", perTarget);
            return run.commit(config, results);
        }
    }

    static String nodeNames(SemanticGraph graph, int[] nodes) {
        List<String> out = new ArrayList<>();
        for (int v : nodes) {
            out.add(graph.nodes().get(v).name());
        }
        return String.join(" ", out);
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
