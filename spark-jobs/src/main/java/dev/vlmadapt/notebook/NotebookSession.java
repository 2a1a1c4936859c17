package dev.vlmadapt.notebook;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of a notebook: local mode on two threads, no web UI, bound to 127.0.0.1, logging only
 * errors. Reading a few Parquet files is all a notebook does, so nothing here is tuned for work.
 */
public final class NotebookSession {
    private static SparkSession session;

    private NotebookSession() {
    }

    /**
     * @return the notebook's session, started on first use
     */
    public static synchronized SparkSession get() {
        if (session == null || session.sparkContext().isStopped()) {
            quietLogging();
            session = SparkSession.builder().appName("vlmadapt-notebook").master("local[2]")
                    .config("spark.ui.enabled", false)
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    // A notebook's tables have a few hundred rows: Spark's default of 200 shuffle partitions
                    // would make every group-by schedule 200 empty tasks.
                    .config("spark.sql.shuffle.partitions", 2)
                    .getOrCreate();
        }
        return session;
    }

    /** Stops the session (the kernel's JVM ends with the notebook anyway; tests call this). */
    public static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }

    /**
     * Silences java.util.logging and log4j below errors. The Java kernel sets java.util.logging's root level to
     * FINEST, and at that level Spark's generated code fails to compile (Janino logs through it); log4j's
     * warnings would otherwise land in the cells' output.
     */
    public static void quietLogging() {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Configurator.setRootLevel(Level.ERROR);
        Configurator.setLevel("dev.vlmadapt", Level.WARN);
    }
}
