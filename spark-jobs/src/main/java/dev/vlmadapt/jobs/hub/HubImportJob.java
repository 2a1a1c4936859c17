package dev.vlmadapt.jobs.hub;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.hub.Ranking;
import dev.vlmadapt.jobs.select.DatasetTextTable;
import dev.vlmadapt.runtime.hub.WideCsv;
import dev.vlmadapt.runtime.select.DatasetEmbedding;
import dev.vlmadapt.runtime.select.DatasetText;
import dev.vlmadapt.runtime.text.SentenceEmbedder;
import dev.vlmadapt.runtime.select.DescriptionFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Imports a published zero-shot table in open_clip's wide layout into the ranking table as
 * {@code source=imported/origin=<name>}, replacing an earlier import of the same name. A malformed row fails the
 * import, naming every bad line, unless {@code hub-import.skip-malformed} is set; then the other rows are imported
 * and the rejected ones listed in the summary. With {@code hub-import.descriptions} (and {@code hub-import.prompts}
 * for class names kept apart), each dataset's domain, task and class names go into the {@code dataset_texts}
 * table, which language-only selection reads; every dataset of the CSV must then be described.
 */
public final class HubImportJob implements Job {
    @Override
    public String name() {
        return "hub-import";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        String csv = config.string("hub-import.csv");
        if (csv.isBlank()) {
            throw new IllegalArgumentException("hub-import.csv is not set: give the wide CSV to import (--csv FILE)");
        }
        Path file = Path.of(csv);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("hub-import.csv: " + file + " does not exist");
        }
        String origin = config.string("hub-import.name");
        if (origin.isBlank()) {
            origin = file.getFileName().toString().replaceFirst("\\.csv$", "");
        }
        String partition = RankingTable.partition(Ranking.IMPORTED, origin);
        WideCsv.Parsed parsed = WideCsv.read(file, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (!parsed.rejected().isEmpty() && !config.bool("hub-import.skip-malformed")) {
            throw new IllegalArgumentException(file + ": " + parsed.rejected().size() + " malformed row(s), nothing "
                    + "imported (hub-import.skip-malformed=true imports the others):\n  "
                    + String.join("\n  ", parsed.rejected()));
        }
        List<DatasetText> texts = texts(config, parsed.datasets());
        try (RunDirectory run = RunDirectory.create(config, name())) {
            List<Row> rows = new ArrayList<>();
            for (Ranking r : parsed.rankings()) {
                rows.add(RankingTable.row(r));
            }
            SparkSession spark = SparkSessions.getOrCreate(config, name());
            TableStore store = new TableStore(spark, config.string("tables.root"));
            store.publish(spark.createDataFrame(rows, RankingTable.SCHEMA).coalesce(1), RankingTable.TABLE,
                    partition, run.runId());
            if (!texts.isEmpty()) {
                Map<String, DatasetEmbedding> embeddings = DatasetEmbedding.of(texts, SentenceEmbedder.miniLm());
                store.publish(spark.createDataFrame(DatasetTextTable.rows(texts, embeddings), DatasetTextTable.SCHEMA)
                        .coalesce(1), TableStore.DATASET_TEXTS, "origin=" + origin, run.runId());
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("file", file.toString());
            results.put("described_datasets", texts.size());
            results.put("models", parsed.rankings().stream().map(Ranking::model).distinct().count());
            results.put("datasets", parsed.datasets());
            results.put("rankings", rows.size());
            results.put("rejected", parsed.rejected());
            results.put("table", store.partition(RankingTable.TABLE, partition));
            System.out.printf("imported %d results of %s models on %d datasets into %s%n", rows.size(),
                    results.get("models"), parsed.datasets().size(), results.get("table"));
            for (String r : parsed.rejected()) {
                System.err.println("[hub-import] rejected " + r);
            }
            return run.commit(config, results);
        }
    }

    /** The described datasets of the CSV, or none without a descriptions file. */
    private static List<DatasetText> texts(JobConfig config, List<String> datasets) throws java.io.IOException {
        String descriptions = config.string("hub-import.descriptions");
        if (descriptions.isBlank()) {
            return List.of();
        }
        String prompts = config.string("hub-import.prompts");
        Map<String, DatasetText> byName = new LinkedHashMap<>();
        for (DatasetText t : DescriptionFile.read(Path.of(descriptions), prompts.isBlank() ? null : Path.of(prompts))) {
            byName.put(t.name(), t);
        }
        List<DatasetText> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String d : datasets) {
            if (byName.containsKey(d)) {
                out.add(byName.get(d));
            } else {
                missing.add(d);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(descriptions + " does not describe " + missing + "; every dataset "
                    + "column of the CSV needs a domain, a task and class names (nothing imported)");
        }
        return out;
    }
}
