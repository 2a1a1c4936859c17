package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.DriverParquet;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.runtime.select.DatasetEmbedding;
import dev.vlmadapt.runtime.select.LeaveOneDatasetOut;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.SparkSession;

/**
 * Leave-one-dataset-out evaluation of language-only selection on a ranking table ({@link LeaveOneDatasetOut}):
 * {@code results.parquet} (target, method, models, kendall_tau, lovm_tau5, top5_recall, top1_regret,
 * mean_abs_error, chosen), {@code results.md}, printed too.
 */
public final class SelectLooJob implements Job {
    static final MessageType RESULTS = MessageTypeParser.parseMessageType("message results {"
            + " required binary target (UTF8); required binary method (UTF8); required int32 models;"
            + " required double kendall_tau; required double lovm_tau5; required double top5_recall;"
            + " required double top1_regret; required double mean_abs_error; required binary chosen (UTF8); }");

    @Override
    public String name() {
        return "select-loo";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        SparkSession spark = SparkSessions.getOrCreate(config, name());
        try (RunDirectory run = RunDirectory.create(config, name())) {
            SelectionTable in = SelectionTable.load(config, spark);
            String reference = config.string("select.reference");
            Map<String, DatasetEmbedding> embeddings = in.embedAll(List.of());
            List<LeaveOneDatasetOut.Row> rows = LeaveOneDatasetOut.run(in.table(), embeddings,
                    SelectJob.params(config), reference);
            DriverParquet.write(run.work().resolve("results.parquet"), RESULTS, rows, (r, g) -> g
                    .append("target", r.target()).append("method", r.method()).append("models", r.models())
                    .append("kendall_tau", r.kendallTau()).append("lovm_tau5", r.lovmTau5())
                    .append("top5_recall", r.top5Recall()).append("top1_regret", r.topOneRegret())
                    .append("mean_abs_error", r.meanAbsoluteError()).append("chosen", r.chosen()));
            String md = LooTable.markdown(rows);
            Files.writeString(run.work().resolve("results.md"), md);
            System.out.print(md);
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("table", in.path());
            results.put("models", in.table().models().size());
            results.put("reference", reference);
            Map<String, Object> means = new LinkedHashMap<>();
            for (LeaveOneDatasetOut.Row r : rows) {
                if (r.target().equals("mean")) {
                    means.put(r.method(), Map.of("kendall_tau", r.kendallTau(), "lovm_tau5", r.lovmTau5(),
                            "top5_recall", r.top5Recall(), "top1_regret", r.topOneRegret(), "mean_abs_error",
                            r.meanAbsoluteError()));
                }
            }
            results.put("mean", means);
            return run.commit(config, results);
        }
    }
}
