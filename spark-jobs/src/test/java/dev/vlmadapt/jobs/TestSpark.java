package dev.vlmadapt.jobs;

import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** A local session of the test's own for reading tables back: each CLI run stops the session it used. */
final class TestSpark {
    private TestSpark() {
    }

    static <T> T with(Function<SparkSession, T> f) {
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", false)
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        try {
            return f.apply(spark);
        } finally {
            spark.stop();
        }
    }
}
