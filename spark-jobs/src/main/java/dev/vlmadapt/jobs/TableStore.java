package dev.vlmadapt.jobs;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The Parquet tables under {@code vlmadapt.tables.root} (local or {@code s3a://}), one Hive-style directory
 * per partition, e.g. {@code images/dataset=fashion-mnist/}. A partition is written to a hidden staging
 * directory and renamed into place only when Spark has committed every file, so readers (which skip names
 * starting with '.' or '_') never see a partial partition on a file system with atomic renames (HDFS, local
 * disks). On S3A a directory rename is a copy of each file, so a reader racing a publish can see a partition
 * being replaced; the run's summary is written only after the table is complete.
 */
public final class TableStore {
    /** One row per image of every ingested dataset. */
    public static final String IMAGES = "images";
    /** Few-shot split assignments. */
    public static final String SPLITS = "splits";
    /** Image features per model, dataset, shots and split. */
    public static final String FEATURES = "features";
    /** The concepts of the concept artwork, with their styles and WordNet meanings. */
    public static final String CONCEPTS = "concepts";
    /** Domain, task and class names of the ranking table's datasets (for language-only selection). */
    public static final String DATASET_TEXTS = "dataset_texts";

    private final SparkSession spark;
    private final String root;

    /**
     * @param spark the session (its Hadoop configuration carries the S3A settings)
     * @param root the tables root, a local path or an {@code s3a://} URI
     */
    public TableStore(SparkSession spark, String root) {
        this.spark = spark;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /**
     * @param table table name
     * @return the table's root path
     */
    public String table(String table) {
        return root + "/" + table;
    }

    /**
     * @param table table name
     * @param partition e.g. {@code dataset=fashion-mnist}
     * @return the partition's path
     */
    public String partition(String table, String partition) {
        return table(table) + "/" + partition;
    }

    /**
     * Writes {@code rows} as the partition, replacing an earlier version of it.
     *
     * @param rows the rows (without the partition column)
     * @param table table name
     * @param partition e.g. {@code dataset=fashion-mnist}
     * @param runId the writing run, to keep concurrent writers' staging apart
     * @param partitionBy columns of {@code rows} that become sub-partitions, e.g. {@code split}
     * @throws IOException if the rename fails
     */
    public void publish(Dataset<Row> rows, String table, String partition, String runId, String... partitionBy)
            throws IOException {
        Path target = new Path(partition(table, partition));
        Path staging = new Path(table(table), "." + partition.replace('/', '_') + ".staging-" + runId);
        FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
        Path previous = new Path(table(table), "." + partition.replace('/', '_') + ".previous-" + runId);
        fs.delete(staging, true);
        try {
            rows.write().mode(SaveMode.ErrorIfExists).partitionBy(partitionBy).parquet(staging.toString());
            // The old version is moved aside, not deleted, until the new one is in place.
            boolean replacing = fs.exists(target);
            if (replacing && !fs.rename(target, previous)) {
                throw new IOException("cannot move " + target + " aside to replace it");
            }
            // Hadoop's local file system copies file by file, visibly, when the target's parent is missing (a
            // new model=/dataset= level); with the parent there the rename is one atomic step.
            fs.mkdirs(target.getParent());
            if (!fs.rename(staging, target)) {
                if (replacing) {
                    fs.rename(previous, target);
                }
                throw new IOException("cannot move " + staging + " to " + target);
            }
            fs.delete(previous, true);
        } finally {
            fs.delete(staging, true);
        }
    }

    /**
     * @param table table name
     * @return the whole table, partition columns included
     * @throws IllegalArgumentException if the table has no partition yet, naming the job that writes it
     */
    public Dataset<Row> read(String table) {
        boolean present;
        try {
            present = exists(table);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list table " + table(table) + ": " + e.getMessage(), e);
        }
        if (!present) {
            String job = table.equals(IMAGES) ? "ingest" : table;
            throw new IllegalArgumentException("no " + table + " table at " + table(table) + " (vlmadapt.tables.root = "
                    + root + "); run `bin/vlmadapt " + job + " --dataset NAME` first, or `bin/vlmadapt experiment`, "
                    + "which prepares the tables a task lacks");
        }
        return spark.read().parquet(table(table));
    }

    /**
     * @param table table name
     * @return whether the table has at least one published data file (partition folders emptied by hand, e.g.
     *     a deleted origin, do not count: Spark cannot read a table of empty folders)
     * @throws IOException if the store cannot be reached
     */
    public boolean exists(String table) throws IOException {
        Path given = new Path(table(table));
        FileSystem fs = given.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(given)) {
            return false;
        }
        Path path = fs.makeQualified(given);
        org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(path, true);
        while (files.hasNext()) {
            if (published(path, files.next().getPath())) {
                return true;
            }
        }
        return false;
    }

    /** A data file: no part of its path below the table is hidden or a marker ({@code .staging}, {@code _SUCCESS}). */
    private static boolean published(Path table, Path file) {
        for (Path p = file; p != null && !p.equals(table) && p.depth() > table.depth(); p = p.getParent()) {
            if (p.getName().startsWith(".") || p.getName().startsWith("_")) {
                return false;
            }
        }
        return true;
    }
}
