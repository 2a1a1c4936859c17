package dev.vlmadapt.jobs.ingest;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.data.LabeledImages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Turns a configured dataset into the image table's partition {@code images/dataset=<name>}: one row per
 * image of every source split, images as lossless PNG. Reading happens on the driver, where the dataset's
 * files are; writing is Spark's.
 */
public final class IngestJob implements Job {
    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        String dataset = config.string("ingest.dataset");
        int partitions = config.integer("ingest.partitions", 1);
        DatasetCatalog catalog = new DatasetCatalog(config);
        List<String> classes = catalog.info(dataset).classes();
        try (RunDirectory run = RunDirectory.create(config, name())) {
            List<Row> rows = new ArrayList<>();
            Map<String, Object> counts = new LinkedHashMap<>();
            Map<String, Object> skipped = new LinkedHashMap<>();
            for (String split : catalog.sourceSplits(dataset)) {
                LabeledImages data = catalog.load(dataset, split);
                for (int i = 0; i < data.size(); i++) {
                    int label = data.labels()[i];
                    String name = data.names().isEmpty() ? String.format(Locale.ROOT, "%06d", i) : data.names().get(i);
                    rows.add(ImageRows.row(dataset + "/" + split + "/" + name, label, classes.get(label), split,
                            data.images().get(i)));
                }
                counts.put(split, data.size());
                System.err.printf(Locale.ROOT, "[ingest] %s/%s: %d images%n", dataset, split, data.size());
                if (!data.skipped().isEmpty()) {
                    skipped.put(split, data.skipped());
                    for (String reason : data.skipped()) {
                        System.err.println("[ingest] skipped: " + reason);
                    }
                }
            }
            SparkSession spark = SparkSessions.getOrCreate(config, name());
            TableStore store = new TableStore(spark, config.string("tables.root"));
            store.publish(spark.createDataFrame(rows, ImageRows.SCHEMA).repartition(partitions), TableStore.IMAGES,
                    "dataset=" + dataset, run.runId());
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("dataset", dataset);
            results.put("images", counts);
            // Source images that could not be read, each with its reason (nothing is dropped silently).
            results.put("skipped", skipped);
            results.put("table", store.partition(TableStore.IMAGES, "dataset=" + dataset));
            System.out.println("ingested " + rows.size() + " images of " + dataset + " into " + results.get("table"));
            return run.commit(config, results);
        }
    }
}
