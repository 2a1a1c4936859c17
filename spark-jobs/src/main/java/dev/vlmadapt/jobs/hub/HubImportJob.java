package dev.vlmadapt.jobs.hub;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.hub.Ranking;
import dev.vlmadapt.runtime.hub.WideCsv;
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
 * and the rejected ones listed in the summary.
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
        try (RunDirectory run = RunDirectory.create(config, name())) {
            List<Row> rows = new ArrayList<>();
            for (Ranking r : parsed.rankings()) {
                rows.add(RankingTable.row(r));
            }
            SparkSession spark = SparkSessions.getOrCreate(config, name());
            TableStore store = new TableStore(spark, config.string("tables.root"));
            store.publish(spark.createDataFrame(rows, RankingTable.SCHEMA).coalesce(1), RankingTable.TABLE,
                    partition, run.runId());
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("file", file.toString());
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
}
