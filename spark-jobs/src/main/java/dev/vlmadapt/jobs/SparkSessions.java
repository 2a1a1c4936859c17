package dev.vlmadapt.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.vlmadapt.jobs.executor.ModelCache;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place a job's {@link SparkSession} is made: master (unless spark-submit set one), pass-through Spark
 * settings from {@code vlmadapt.spark.conf}, and S3A settings from {@code vlmadapt.s3}.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    /**
     * @param config the job config
     * @param job the job name, for the application name
     * @return the active session, configured
     */
    public static SparkSession getOrCreate(JobConfig config, String job) {
        SparkConf conf = new SparkConf().setAppName("vlmadapt " + job);
        if (!conf.contains("spark.master")) {
            conf.setMaster(config.string("spark.master"));
        }
        for (Map.Entry<String, ConfigValue> e : config.section("spark.conf").entrySet()) {
            // Keys such as "spark.ui.enabled" are quoted in HOCON; entrySet() gives them back as paths.
            conf.set(unquote(e.getKey()), String.valueOf(e.getValue().unwrapped()));
        }
        s3a(config.section("s3")).forEach(conf::set);
        int threads = config.integer("threads", 0);
        if (threads > 0) {
            // Executors are other JVMs: they read the thread count from the conf they receive (ModelCache).
            conf.set(ModelCache.THREADS_CONF, Integer.toString(threads));
        }
        SparkSession session = SparkSession.builder().config(conf).getOrCreate();
        SparkStatus.install(session.sparkContext(), job, config.nonNegative("progress-seconds"));
        return session;
    }

    /** Hadoop S3A settings, as Spark {@code spark.hadoop.*} keys. Empty values are left to Hadoop's defaults. */
    static Map<String, String> s3a(Config s3) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String p = "spark.hadoop.fs.s3a.";
        putIfSet(out, p + "endpoint", s3.getString("endpoint"));
        putIfSet(out, p + "endpoint.region", s3.getString("region"));
        putIfSet(out, p + "access.key", s3.getString("access-key"));
        putIfSet(out, p + "secret.key", s3.getString("secret-key"));
        out.put(p + "path.style.access", Boolean.toString(s3.getBoolean("path-style-access")));
        out.put(p + "attempts.maximum", Integer.toString(s3.getInt("attempts")));
        out.put(p + "retry.limit", Integer.toString(s3.getInt("attempts")));
        if (s3.getString("endpoint").startsWith("http://")) {
            out.put(p + "connection.ssl.enabled", "false");
        }
        return out;
    }

    private static void putIfSet(Map<String, String> out, String key, String value) {
        if (!value.isEmpty()) {
            out.put(key, value);
        }
    }

    private static String unquote(String key) {
        return key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1) : key;
    }
}
