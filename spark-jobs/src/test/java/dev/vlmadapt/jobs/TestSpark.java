package dev.vlmadapt.jobs;

import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** A local session of the test's own for reading tables back: each CLI run stops the session it used. */
public final class TestSpark {
    private TestSpark() {
    }

    /**
     * @param f what to do with the session
     * @param <T> its result
     * @return f's result, the session stopped
     */
    public static <T> T with(Function<SparkSession, T> f) {
        return with(Map.of(), f);
    }

    /**
     * @param conf extra Spark settings, e.g. {@code spark.hadoop.fs.s3a.*}
     * @param f what to do with the session
     * @param <T> its result
     * @return f's result, the session stopped
     */
    public static <T> T with(Map<String, String> conf, Function<SparkSession, T> f) {
        SparkSession.Builder b = SparkSession.builder().master("local[1]").config("spark.ui.enabled", false)
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        conf.forEach(b::config);
        SparkSession spark = b.getOrCreate();
        try {
            return f.apply(spark);
        } finally {
            spark.stop();
        }
    }
}
