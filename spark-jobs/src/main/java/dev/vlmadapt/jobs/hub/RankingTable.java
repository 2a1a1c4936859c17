package dev.vlmadapt.jobs.hub;

import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.hub.Ranking;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The ranking table {@code <tables.root>/rankings/source=<imported|evaluated>/origin=<name>/}: one row per model,
 * dataset and split. Unknown values are nulls in the table (NaN and -1 in {@link Ranking}).
 */
public final class RankingTable {
    /** Table name under the tables root. */
    public static final String TABLE = "rankings";

    /** The columns (source and origin come from the partition path). */
    public static final StructType SCHEMA = new StructType()
            .add("model", DataTypes.StringType, false)
            .add("dataset", DataTypes.StringType, false)
            .add("split", DataTypes.StringType, false)
            .add("top1", DataTypes.DoubleType, false)
            .add("top5", DataTypes.DoubleType, true)
            .add("mean_per_class_recall", DataTypes.DoubleType, true)
            .add("n", DataTypes.LongType, true)
            .add("templates_hash", DataTypes.StringType, true)
            .add("params_m", DataTypes.DoubleType, true)
            .add("gflops", DataTypes.DoubleType, true)
            .add("seconds", DataTypes.DoubleType, true)
            .add("evaluated_at", DataTypes.StringType, true);

    private RankingTable() {
    }

    /**
     * @param source imported or evaluated
     * @param origin the file or job the rows came from
     * @return the partition path below the table
     */
    public static String partition(String source, String origin) {
        if (!origin.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("origin '" + origin + "' may hold letters, digits, '.', '_' and '-' only");
        }
        return "source=" + source + "/origin=" + origin;
    }

    /**
     * @param r a ranking
     * @return its row
     */
    public static Row row(Ranking r) {
        return RowFactory.create(r.model(), r.dataset(), r.split(), r.top1(), orNull(r.top5()),
                orNull(r.meanPerClassRecall()), r.n() < 0 ? null : r.n(), r.templatesHash(), orNull(r.paramsM()),
                orNull(r.gflops()), orNull(r.seconds()), r.evaluatedAt());
    }

    /**
     * @param store the tables
     * @return every ranking in the table (empty if there is none yet)
     * @throws java.io.IOException if the table cannot be listed
     */
    public static List<Ranking> readAll(TableStore store) throws java.io.IOException {
        return read(store, null, null);
    }

    /**
     * @param store the tables
     * @param source a source, or null for all
     * @param origin an origin, or null for all
     * @return the rankings of that partition (empty if there are none)
     * @throws java.io.IOException if the table cannot be listed
     */
    public static List<Ranking> read(TableStore store, String source, String origin) throws java.io.IOException {
        if (!store.exists(TABLE)) {
            return new ArrayList<>();
        }
        return rankings(store.read(TABLE), source, origin);
    }

    /**
     * Reads a ranking table by path, e.g. one given on the command line.
     *
     * @param spark the session
     * @param table the rankings table's path (the folder holding {@code source=} partitions)
     * @param path that table, or one of its partitions below it
     * @param source a source, or null for all
     * @return the rankings there (empty if there are none)
     */
    public static List<Ranking> readPath(SparkSession spark, String table, String path, String source) {
        org.apache.spark.sql.Dataset<Row> rows;
        try {
            rows = spark.read().option("basePath", table).parquet(path);
        } catch (Exception e) {   // Spark's AnalysisException (path not found, not Parquet) is undeclared
            throw new IllegalArgumentException("cannot read a ranking table at " + path + ": " + e.getMessage(), e);
        }
        if (!java.util.Arrays.asList(rows.columns()).contains("source")) {
            throw new IllegalArgumentException(path + " is not a ranking table (no source=imported|evaluated "
                    + "partitions below " + table + ")");
        }
        return rankings(rows, source, null);
    }

    private static List<Ranking> rankings(org.apache.spark.sql.Dataset<Row> rows, String source, String origin) {
        List<Ranking> out = new ArrayList<>();
        if (source != null) {
            rows = rows.where(org.apache.spark.sql.functions.col("source").equalTo(source));
        }
        if (origin != null) {
            rows = rows.where(org.apache.spark.sql.functions.col("origin").equalTo(origin));
        }
        for (Row r : rows.collectAsList()) {
            out.add(new Ranking(r.getAs("model"), r.getAs("dataset"), r.getAs("split"), r.getAs("top1"),
                    nan(r, "top5"), nan(r, "mean_per_class_recall"), r.isNullAt(r.fieldIndex("n")) ? -1
                    : r.<Long>getAs("n"), r.getAs("templates_hash"), nan(r, "params_m"), nan(r, "gflops"),
                    nan(r, "seconds"), r.getAs("source"), r.getAs("evaluated_at")));
        }
        return out;
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static double nan(Row r, String column) {
        int i = r.fieldIndex(column);
        return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
    }
}
