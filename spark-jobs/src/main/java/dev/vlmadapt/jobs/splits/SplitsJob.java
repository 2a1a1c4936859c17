package dev.vlmadapt.jobs.splits;

import static org.apache.spark.sql.functions.col;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.data.FewShotSplits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * CoOp's few-shot benchmark splits of an ingested dataset, for several seeds: K shots per class for training,
 * a disjoint validation set, and the untouched test split, written to {@code splits/dataset=<name>/k=<K>}.
 * Only ids travel to the driver; the draw is {@link FewShotSplits}, so it does not depend on partitioning.
 */
public final class SplitsJob implements Job {
    /** {@code seed}, {@code split} (train, val or test), {@code image_id}, {@code label}. */
    public static final StructType SCHEMA = new StructType()
            .add("seed", DataTypes.IntegerType, false)
            .add("split", DataTypes.StringType, false)
            .add("image_id", DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, false);

    @Override
    public String name() {
        return "splits";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        String dataset = config.string("splits.dataset");
        int shots = config.integer("splits.shots", 1);
        int valShots = config.integer("splits.val-shots", 0);
        List<Integer> seeds = config.raw().getIntList("splits.seeds");
        try (RunDirectory run = RunDirectory.create(config, name())) {
            SparkSession spark = SparkSessions.getOrCreate(config, name());
            TableStore store = new TableStore(spark, config.string("tables.root"));
            List<Row> images = store.read(TableStore.IMAGES).where(col("dataset").equalTo(dataset))
                    .select("id", "label", "source_split").collectAsList();
            if (images.isEmpty()) {
                throw new IllegalArgumentException("dataset " + dataset + " has no rows in "
                        + store.table(TableStore.IMAGES) + "; run `bin/vlmadapt ingest ingest.dataset=" + dataset + "`");
            }
            List<FewShotSplits.Candidate> train = new ArrayList<>();
            List<FewShotSplits.Candidate> val = new ArrayList<>();
            List<Row> test = new ArrayList<>();
            for (Row r : images) {
                switch (r.getString(2)) {
                    case "train" -> train.add(new FewShotSplits.Candidate(r.getString(0), r.getInt(1)));
                    case "val" -> val.add(new FewShotSplits.Candidate(r.getString(0), r.getInt(1)));
                    default -> test.add(r);
                }
            }
            List<Row> rows = new ArrayList<>();
            for (int seed : seeds) {
                // A dataset with a validation source of its own (other styles) validates on it; else the
                // validation shots come from the training images, as in CoOp.
                List<FewShotSplits.Assignment> drawn = val.isEmpty() ? FewShotSplits.draw(train, seed, shots, valShots)
                        : FewShotSplits.drawFromPools(train, val, seed, shots, valShots);
                for (FewShotSplits.Assignment a : drawn) {
                    rows.add(RowFactory.create(seed, a.split(), a.id(), a.label()));
                }
                for (Row t : test) {
                    rows.add(RowFactory.create(seed, "test", t.getString(0), t.getInt(1)));
                }
            }
            String partition = "dataset=" + dataset + "/k=" + shots;
            store.publish(spark.createDataFrame(rows, SCHEMA).repartition(1), TableStore.SPLITS, partition,
                    run.runId());
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("dataset", dataset);
            results.put("k", shots);
            results.put("val_shots", valShots);
            results.put("seeds", seeds);
            results.put("train_pool", train.size());
            results.put("val_pool", val.isEmpty() ? "train" : Integer.toString(val.size()));
            results.put("test", test.size());
            results.put("table", store.partition(TableStore.SPLITS, partition));
            System.out.println("wrote " + shots + "-shot splits of " + dataset + " for seeds " + seeds + " to "
                    + results.get("table"));
            return run.commit(config, results);
        }
    }
}
