package dev.vlmadapt.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlmadapt.runtime.io.StagedDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code <output.root>/<job>/<run-id>/} of one run, on a local disk or an object store. The job writes its files
 * into a local work directory; {@link #commit} publishes them with {@code summary.json}. On a local file
 * system the run appears in one rename; on an object store, where renames are copies, the files are uploaded
 * in place and {@code summary.json} goes last, so a run is complete exactly when its summary exists. A run that
 * fails before its commit leaves nothing at its output path.
 */
public final class RunDirectory implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");
    private static final String SUMMARY = "summary.json";

    private final String job;
    private final String runId;
    private final Path target;
    private final FileSystem fs;
    private final java.nio.file.Path work;
    private final long startNanos = System.nanoTime();
    private boolean committed;

    private RunDirectory(String job, String runId, Path target, FileSystem fs, java.nio.file.Path work) {
        this.job = job;
        this.runId = runId;
        this.target = target;
        this.fs = fs;
        this.work = work;
    }

    /**
     * @param config the job's config ({@code output.root}, {@code run-id}, {@code s3})
     * @param job the job name
     * @return a new run with an empty work directory
     * @throws IOException if the run id is taken or the directories cannot be made
     */
    public static RunDirectory create(JobConfig config, String job) throws IOException {
        String runId = config.string("run-id");
        if (runId.isBlank()) {
            runId = ZonedDateTime.now(ZoneOffset.UTC).format(RUN_ID);
        }
        if (!runId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("vlmadapt.run-id '" + runId + "' may only contain letters, digits, "
                    + "'.', '_' and '-'");
        }
        Path target = new Path(new Path(config.string("output.root"), job), runId);
        FileSystem fs = HadoopFs.of(target, HadoopFs.configuration(config));
        if (fs.exists(target)) {
            throw new IOException("run directory " + target + " already exists; choose another vlmadapt.run-id");
        }
        return new RunDirectory(job, runId, target, fs,
                Files.createTempDirectory("vlmadapt-" + job + "-" + runId + "-"));
    }

    /** @return the local directory to write the run's files into (until {@link #commit}) */
    public java.nio.file.Path work() {
        return work;
    }

    /** @return where the run is visible after {@link #commit} (a path or URI) */
    public String path() {
        return target.toString();
    }

    /** @return the run id */
    public String runId() {
        return runId;
    }

    /** @return seconds since the run directory was created */
    public double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Writes {@code summary.json} (job, run id, config hash, seed, then {@code results}, then wall seconds) and
     * publishes the run at {@link #path()}.
     *
     * @param config the job's config
     * @param results job-specific keys
     * @return the summary as written
     * @throws IOException if writing or publishing fails (what was published is removed again)
     */
    public Map<String, Object> commit(JobConfig config, Map<String, Object> results) throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("job", job);
        summary.put("run_id", runId);
        summary.put("config_hash", config.hash());
        summary.put("seed", config.integer("seed", 0));
        summary.putAll(results);
        summary.put("wall_seconds", Math.round(wallSeconds() * 1000) / 1000.0);
        JSON.writeValue(work.resolve(SUMMARY).toFile(), summary);
        Path staging = new Path(target.getParent(), "." + runId + ".in-progress");
        boolean local = HadoopFs.isLocal(target.toString());
        Path destination = local ? staging : target;
        try {
            fs.delete(staging, true);
            fs.mkdirs(destination);
            try (DirectoryStream<java.nio.file.Path> files = Files.newDirectoryStream(work)) {
                for (java.nio.file.Path f : files) {
                    if (!f.getFileName().toString().equals(SUMMARY)) {
                        upload(f, new Path(destination, f.getFileName().toString()));
                    }
                }
            }
            upload(work.resolve(SUMMARY), new Path(destination, SUMMARY));
            if (local && !fs.rename(staging, target)) {
                throw new IOException("cannot move " + staging + " to " + target);
            }
            committed = true;
        } finally {
            if (!committed) {
                fs.delete(destination, true);
            }
        }
        return summary;
    }

    /**
     * Streams a local file or directory to the target file system (as Spark's own writers do; S3A's
     * copyFromLocalFile signs payloads in a way some S3-compatible stores reject).
     */
    private void upload(java.nio.file.Path local, Path remote) throws IOException {
        if (Files.isDirectory(local)) {
            fs.mkdirs(remote);
            try (DirectoryStream<java.nio.file.Path> files = Files.newDirectoryStream(local)) {
                for (java.nio.file.Path f : files) {
                    upload(f, new Path(remote, f.getFileName().toString()));
                }
            }
            return;
        }
        try (OutputStream out = fs.create(remote, true)) {
            Files.copy(local, out);
        }
    }

    /** Removes the local work directory (and the published files of a run whose commit failed). */
    @Override
    public void close() throws IOException {
        StagedDirectory.deleteRecursively(work);
    }
}
