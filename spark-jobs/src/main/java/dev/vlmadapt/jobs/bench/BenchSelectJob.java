package dev.vlmadapt.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.select.GraphTable;
import dev.vlmadapt.jobs.select.LabelTable;
import dev.vlmadapt.jobs.select.MllSelect;
import dev.vlmadapt.jobs.select.SelectionTable;
import dev.vlmadapt.runtime.select.DatasetEmbedding;
import dev.vlmadapt.runtime.select.DatasetText;
import dev.vlmadapt.runtime.select.LanguageOnlyPredictor;
import dev.vlmadapt.runtime.select.RankingMetrics;
import dev.vlmadapt.runtime.select.SelectionTarget;
import dev.vlmadapt.runtime.text.SentenceEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Selection wall time for one target ({@code bench-results/select.json}): MLL over the labelled hub (the target's
 * class names to chosen models, labels read on Spark) and language-only over the imported ranking table (the
 * target's texts embedded, every model predicted and ranked), each the median of {@code bench.repeats} warm runs.
 * A part whose inputs are missing (no labelled hub, no imported table with texts) is reported as skipped.
 */
public final class BenchSelectJob implements Job {
    @Override
    public String name() {
        return "bench-select";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        int repeats = config.integer("bench.repeats", 1);
        String target = config.string("bench.select.target");
        Path output = Path.of(config.string("bench.select.output"));
        SparkSession spark = SparkSessions.getOrCreate(config, name());
        TableStore store = new TableStore(spark, config.string("tables.root"));
        DatasetCatalog catalog = new DatasetCatalog(config);
        DatasetText text = SelectionTable.catalogText(catalog, target);
        try (RunDirectory run = RunDirectory.create(config, name())) {
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("target", target);
            results.put("repeats", repeats);
            results.put("hub", hub(config, spark, store, new SelectionTarget(text, List.of()), repeats));
            results.put("table", table(config, spark, text, repeats));
            Files.createDirectories(output.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.toFile(), results);
            System.out.printf(Locale.ROOT, "selection wall time for %s: hub %s, table %s; written to %s%n", target,
                    results.get("hub"), results.get("table"), output);
            return run.commit(config, results);
        }
    }

    private static Map<String, Object> hub(JobConfig config, SparkSession spark, TableStore store,
            SelectionTarget target, int repeats) throws java.io.IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!store.exists(GraphTable.TABLE) || !store.exists(LabelTable.TABLE)) {
            out.put("skipped", "no semantic graph or model labels under " + store.table("") + " (make hub, then "
                    + "semantic-graph and label)");
            return out;
        }
        MllSelect mll = new MllSelect(config, spark, store);
        MllSelect.Result first = mll.select(target, 1);   // warm-up: MiniLM and Spark's first read
        double[] s = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            s[r] = mll.select(target, 1).seconds();
        }
        out.put("models", first.models().size());
        out.put("graph_nodes", mll.graph().graph().nodes().size());
        out.put("selected_nodes", first.match().selected().length);
        out.put("first_seconds", first.seconds());
        out.put("median_seconds", median(s));
        return out;
    }

    private static Map<String, Object> table(JobConfig config, SparkSession spark, DatasetText target, int repeats)
            throws java.io.IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        SelectionTable in;
        try {
            in = SelectionTable.load(config.with(Map.of("select.source", "imported")), spark);
        } catch (IllegalArgumentException e) {
            out.put("skipped", e.getMessage());
            return out;
        }
        Map<String, DatasetEmbedding> known = in.embedAll(List.of());
        LanguageOnlyPredictor predictor = new LanguageOnlyPredictor(LanguageOnlyPredictor.Params.DEFAULT);
        double[] s = new double[repeats + 1];
        for (int r = 0; r <= repeats; r++) {   // run 0 warms MiniLM up
            long start = System.nanoTime();
            Map<String, DatasetEmbedding> e = new LinkedHashMap<>(known);
            e.putAll(DatasetEmbedding.of(List.of(target), SentenceEmbedder.miniLm()));
            LanguageOnlyPredictor.Prediction p = predictor.predict(in.table(), e, e.get(target.name()));
            RankingMetrics.topK(p.standing(), p.models().size());
            s[r] = (System.nanoTime() - start) / 1e9;
        }
        out.put("models", in.table().models().size());
        out.put("datasets", in.table().datasets().size());
        out.put("first_seconds", s[0]);
        out.put("median_seconds", median(Arrays.copyOfRange(s, 1, s.length)));
        return out;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
