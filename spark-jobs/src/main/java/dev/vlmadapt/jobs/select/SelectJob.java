package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.DriverParquet;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.runtime.select.DatasetText;
import dev.vlmadapt.runtime.select.LanguageOnlyPredictor;
import dev.vlmadapt.runtime.select.SelectionTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.SparkSession;

/**
 * Chooses models for targets known by text only. {@code select.method = mll}: MLL over the labelled hub
 * ({@link MllSelectRun}). {@code language-only}: ranks the models of a ranking table, predicting each model's
 * zero-shot accuracy from its results on the table's datasets, weighted by how alike their texts are to the
 * target's ({@link TableSelectRun}). Both write {@code predictions.parquet} (target, model, pretrained where
 * known, predicted_accuracy, rank) beside {@code summary.json}.
 */
public final class SelectJob implements Job {
    /** {@code predictions.parquet}. */
    static final MessageType PREDICTIONS = MessageTypeParser.parseMessageType("message predictions {"
            + " required binary target (UTF8); required binary model (UTF8); optional binary pretrained (UTF8);"
            + " required double predicted_accuracy; required int32 rank; }");

    record Predicted(String target, String model, double accuracy, int rank) {
    }

    @Override
    public String name() {
        return "select";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        List<SelectionTarget> targets = targets(config);
        String method = config.string("select.method");
        if (!method.equals("mll") && !method.equals("language-only")) {
            throw new IllegalArgumentException("vlmadapt.select.method = '" + method + "'; expected mll or "
                    + "language-only");
        }
        SparkSession spark = SparkSessions.getOrCreate(config, name());
        if (method.equals("mll")) {
            return MllSelectRun.run(config, spark, targets, name());
        }
        return TableSelectRun.run(config, spark, targets, name());
    }

    /** Writes {@code predictions.parquet}: the pretrained tag is what follows a ':' in the model's name. */
    static void writePredictions(Path file, List<Predicted> rows) throws java.io.IOException {
        DriverParquet.write(file, PREDICTIONS, rows, (r, g) -> {
            g.append("target", r.target()).append("model", r.model());
            int colon = r.model().indexOf(':');
            if (colon > 0) {
                g.append("pretrained", r.model().substring(colon + 1));
            }
            g.append("predicted_accuracy", r.accuracy()).append("rank", r.rank());
        });
    }

    /** The targets of {@code select.target} or {@code select.dataset}. */
    static List<SelectionTarget> targets(JobConfig config) throws java.io.IOException {
        String file = config.string("select.target");
        String dataset = config.string("select.dataset");
        if (file.isBlank() == dataset.isBlank()) {
            throw new IllegalArgumentException("give one target: select.target (a JSON file, --target) or "
                    + "select.dataset (a catalog dataset, --dataset)");
        }
        if (!file.isBlank()) {
            return SelectionTarget.read(Path.of(file));
        }
        DatasetCatalog catalog = new DatasetCatalog(config);
        DatasetText text = SelectionTable.catalogText(catalog, dataset);
        return List.of(new SelectionTarget(text, catalog.info(dataset).templates()));
    }

    static LanguageOnlyPredictor.Params params(JobConfig config) {
        try {
            return new LanguageOnlyPredictor.Params(config.number("select.language-only.temperature", 0),
                    config.nonNegative("select.language-only.transfer-weight"),
                    config.nonNegative("select.language-only.description-weight"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vlmadapt.select.language-only: " + e.getMessage(), e);
        }
    }
}
