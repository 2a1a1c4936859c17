package dev.vlmadapt.jobs.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The driver command line {@code spark-submit ARGS} runs: like {@code bin/spark-class}, it asks Spark's launcher
 * ({@code org.apache.spark.launcher.Main}) for the command, so the driver JVM gets what spark-submit gives it
 * (driver memory and Java options, Spark's module openings, the class path) and runs
 * {@code org.apache.spark.deploy.SparkSubmit ARGS}.
 */
final class SparkSubmitCommand {
    private SparkSubmitCommand() {
    }

    /**
     * @param sparkHome the installation
     * @param env the environment spark-submit runs in
     * @param args spark-submit's arguments
     * @return the driver's command line
     * @throws IOException if the launcher fails
     */
    static List<String> of(Path sparkHome, Map<String, String> env, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", sparkHome.resolve("jars") + "/*", "org.apache.spark.launcher.Main",
                "org.apache.spark.deploy.SparkSubmit"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("Spark's launcher failed for spark-submit " + args + ": " + out);
        }
        // Output: a "\0\n" sentinel, then each argument followed by '\0' (what bin/spark-class reads).
        int start = out.indexOf('\n') + 1;
        List<String> command = new ArrayList<>(Arrays.asList(out.substring(start).split("\0")));
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw new IOException("Spark's launcher printed no command for spark-submit " + args + ": " + out);
        }
        return command;
    }
}
