package dev.vlmadapt.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Spark installation made of links, for Masters, Workers, executors and spark-submit: {@code jars/} links the
 * jars of this JVM's class path except the application's own. The application (vlmadapt, DJL, picocli, Typesafe
 * Config) reaches executors only in the jar a job submits, as on a real cluster. Also left out: the AWS SDK
 * bundle of hadoop-aws, which a Spark distribution does not ship and whose copy of SLF4J 1 would silence Spark's
 * logs depending on the order the JVM lists {@code jars/*}.
 */
final class SparkHome {
    /** Path fragments of jars that are not Spark's (Maven repository layout: group as directories). */
    private static final List<String> NOT_SPARK = List.of("/dev/vlmadapt/", "/ai/djl/", "/info/picocli/",
            "/com/typesafe/config/", "/software/amazon/awssdk/");

    private SparkHome() {
    }

    /**
     * @param dir an empty or missing directory
     * @return {@code dir}, now a SPARK_HOME
     * @throws IOException if the links cannot be made
     */
    static Path create(Path dir) throws IOException {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath();
            if (isSpark(jar) && !Files.exists(jars.resolve(jar.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
            }
        }
        boolean core;
        try (var files = Files.list(jars)) {
            core = files.anyMatch(f -> f.getFileName().toString().startsWith("spark-core_2.13-"));
        }
        if (!core) {
            throw new IllegalStateException("no spark-core_2.13 jar on the class path to build SPARK_HOME from: "
                    + System.getProperty("java.class.path"));
        }
        return dir;
    }

    /** A jar of the Maven repository that is not the application's; the reactor's own jars are under target/. */
    static boolean isSpark(Path jar) {
        String p = jar.toString().replace(File.separatorChar, '/');
        return p.endsWith(".jar") && Files.isRegularFile(jar) && !jar.getParent().getFileName().toString()
                .equals("target") && NOT_SPARK.stream().noneMatch(p::contains);
    }
}
