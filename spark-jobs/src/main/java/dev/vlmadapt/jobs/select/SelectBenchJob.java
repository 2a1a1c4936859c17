package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.DriverParquet;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.evaluate.EvalData;
import dev.vlmadapt.jobs.evaluate.EvaluateJob;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.jobs.hub.RankingTable;
import dev.vlmadapt.runtime.hub.Ranking;
import dev.vlmadapt.runtime.select.AccuracyTable;
import dev.vlmadapt.runtime.select.DatasetEmbedding;
import dev.vlmadapt.runtime.select.DatasetText;
import dev.vlmadapt.runtime.select.EntropyEnsemble;
import dev.vlmadapt.runtime.select.LanguageOnlyPredictor;
import dev.vlmadapt.runtime.select.MllSelection;
import dev.vlmadapt.runtime.select.SelectionBenchmark;
import dev.vlmadapt.runtime.select.SelectionTarget;
import dev.vlmadapt.runtime.text.SentenceEmbedder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The hub benchmark of model selection: for each target of {@code select.bench.targets} (catalog datasets the
 * hub was evaluated on), MLL at each k of {@code select.bench.k} (reused as the entropy-weighted ensemble on the
 * target's test split), INB (best mean top-1 on {@code select.bench.inb-datasets}), table similarity
 * (language-only prediction from the sample datasets' columns), the oracle and a random model, all against the
 * ranking table's true top-1. Writes {@code results.parquet} and {@code results.md}.
 */
public final class SelectBenchJob implements Job {
    static final MessageType RESULTS = MessageTypeParser.parseMessageType("message results {"
            + " required binary target (UTF8); required binary method (UTF8); required int32 k;"
            + " required double accuracy; required binary model (UTF8); required double selected_model_accuracy;"
            + " required double best_chosen_accuracy; required double regret;"
            + " required double kendall_tau; required double top5_recall; required double selection_seconds; }");

    @Override
    public String name() {
        return "select-bench";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        List<String> targets = config.strings("select.bench.targets");
        List<String> inbDatasets = config.strings("select.bench.inb-datasets");
        List<String> known = config.strings("select.bench.table-datasets");
        List<Integer> ks = config.raw().getIntList("select.bench.k");
        int kMax = ks.stream().mapToInt(Integer::intValue).max().orElseThrow();
        SparkSession spark = SparkSessions.getOrCreate(config, name());
        TableStore store = new TableStore(spark, config.string("tables.root"));
        DatasetCatalog catalog = new DatasetCatalog(config);
        JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
        try (RunDirectory run = RunDirectory.create(config, name())) {
            AccuracyTable table = AccuracyTable.of(RankingTable.read(store, Ranking.EVALUATED, null));
            MllSelect mll = new MllSelect(config, spark, store);
            // The known columns' texts are embedded once, as hub-import stores an imported table's.
            List<DatasetText> knownTexts = new ArrayList<>();
            for (String d : known) {
                knownTexts.add(SelectionTable.catalogText(catalog, d));
            }
            Map<String, DatasetEmbedding> knownEmbeddings = DatasetEmbedding.of(knownTexts, SentenceEmbedder.miniLm());
            List<SelectionBenchmark.Row> rows = new ArrayList<>();
            for (String name : targets) {
                DatasetText text = SelectionTable.catalogText(catalog, name);
                MllSelect.Result r = mll.select(new SelectionTarget(text, catalog.info(name).templates()), kMax);
                double[] truth = truth(table, r.models(), name, config.string("evaluate.split"));
                EvalData data = EvaluateJob.data(config, store, name, config.string("evaluate.split"),
                        run.runId() + "-" + name);
                Broadcast<EvalData> shared = jsc.broadcast(data);
                Map<String, ModelRef> chosen = TargetProbabilities.chosen(config, spark, r);
                Map<String, double[][]> probs = TargetProbabilities.of(jsc, shared, chosen,
                        TargetProbabilities.stored(store, jsc, data, chosen), config.string("device"),
                        config.integer("evaluate.batch-size", 1));
                List<double[][]> byIndex = new ArrayList<>();
                r.models().forEach(m -> byIndex.add(probs.get(m)));
                for (int k : ks) {
                    MllSelection s = MllSelection.of(r.nodeScores(), r.match(), mll.alpha(), k);
                    int[] predicted = EntropyEnsemble.predict(byIndex, s.chosen());
                    rows.add(SelectionBenchmark.mll(name, k, r.models(), s, truth, predicted, data.labels(),
                            r.seconds()));
                }
                rows.add(SelectionBenchmark.ranking(name, "inb", r.models(), inbScores(table, r.models(), inbDatasets),
                        truth, Double.NaN));
                rows.add(tableSimilarity(table, r.models(), knownEmbeddings, text, truth, config));
                rows.add(SelectionBenchmark.oracle(name, r.models(), truth));
                rows.add(SelectionBenchmark.random(name, truth));
                shared.destroy();
                System.err.printf("[select-bench] %s done%n", name);
            }
            DriverParquet.write(run.work().resolve("results.parquet"), RESULTS, rows, (x, g) -> g
                    .append("target", x.target()).append("method", x.method()).append("k", x.k())
                    .append("accuracy", x.accuracy()).append("model", x.model())
                    .append("selected_model_accuracy", x.selectedModelAccuracy())
                    .append("best_chosen_accuracy", x.bestChosenAccuracy())
                    .append("regret", x.regret()).append("kendall_tau", x.kendallTau())
                    .append("top5_recall", x.top5Recall()).append("selection_seconds", x.seconds()));
            String md = BenchTable.markdown(rows);
            Files.writeString(run.work().resolve("results.md"), md);
            System.out.print(md);
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("targets", targets);
            results.put("mean", BenchTable.means(rows));
            Map<String, Object> picks = new LinkedHashMap<>();
            rows.forEach(x -> picks.put(x.target() + " " + x.method() + (x.method().equals("mll") ? " k=" + x.k() : ""),
                    x.model()));
            results.put("models", picks);
            return run.commit(config, results);
        }
    }

    /** The models' true top-1 on the target, from the ranking table. */
    private static double[] truth(AccuracyTable table, List<String> models, String target, String split) {
        int d = table.datasetIndex(target);
        double[] out = new double[models.size()];
        for (int m = 0; m < out.length; m++) {
            int row = table.models().indexOf(models.get(m));
            out[m] = row < 0 ? Double.NaN : table.top1(row, d);
            if (Double.isNaN(out[m])) {
                throw new IllegalArgumentException("no " + split + " top-1 of " + models.get(m) + " on " + target
                        + " in the ranking table; run `bin/vlmadapt evaluate` over the hub and the targets first");
            }
        }
        return out;
    }

    /** Mean top-1 over the INB datasets (the seen styles): the hub's analogue of ImageNet accuracy. */
    private static double[] inbScores(AccuracyTable table, List<String> models, List<String> datasets) {
        double[] out = new double[models.size()];
        for (int m = 0; m < out.length; m++) {
            int row = table.models().indexOf(models.get(m));
            for (String d : datasets) {
                out[m] += table.top1(row, table.datasetIndex(d)) / datasets.size();
            }
        }
        return out;
    }

    /** Language-only prediction from the known datasets' columns (the target's own column left out). */
    private static SelectionBenchmark.Row tableSimilarity(AccuracyTable table, List<String> models,
            Map<String, DatasetEmbedding> known, DatasetText target, double[] truth, JobConfig config) {
        long start = System.nanoTime();
        List<String> columns = new ArrayList<>(known.keySet());
        columns.remove(target.name());
        Map<String, DatasetEmbedding> e = new LinkedHashMap<>(known);
        e.putAll(DatasetEmbedding.of(List.of(target), SentenceEmbedder.miniLm()));
        AccuracyTable sub = table.withDatasets(columns);
        LanguageOnlyPredictor.Prediction p = new LanguageOnlyPredictor(SelectJob.params(config)).predict(sub, e,
                e.get(target.name()));
        double[] scores = new double[models.size()];
        for (int m = 0; m < scores.length; m++) {
            scores[m] = p.standing()[sub.models().indexOf(models.get(m))];
        }
        return SelectionBenchmark.ranking(target.name(), "table-similarity", models, scores, truth,
                (System.nanoTime() - start) / 1e9);
    }
}
