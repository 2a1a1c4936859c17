package dev.vlmadapt.jobs;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Hadoop file systems for paths that may be local or {@code s3a://}, configured from {@code vlmadapt.s3} the same
 * way {@link SparkSessions} configures Spark, for the parts of a job that run without a Spark session.
 */
public final class HadoopFs {
    private HadoopFs() {
    }

    /**
     * @param config the job config
     * @return a Hadoop configuration with the S3A settings
     */
    public static Configuration configuration(JobConfig config) {
        Configuration conf = new Configuration();
        for (Map.Entry<String, String> e : SparkSessions.s3a(config.section("s3")).entrySet()) {
            conf.set(e.getKey().substring("spark.hadoop.".length()), e.getValue());
        }
        return conf;
    }

    /**
     * @param path a local path or URI
     * @param conf the Hadoop configuration
     * @return the file system of {@code path}; for local paths the raw one, which writes no {@code .crc} files
     * @throws IOException if the file system cannot be created
     */
    public static FileSystem of(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }

    /**
     * @param path a path or URI
     * @return whether it names a local file (no scheme, or {@code file:})
     */
    public static boolean isLocal(String path) {
        String scheme = new Path(path).toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }
}
