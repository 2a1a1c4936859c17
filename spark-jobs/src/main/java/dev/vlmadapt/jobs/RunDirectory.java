package dev.vlmadapt.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlmadapt.runtime.io.StagedDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <output.root>/<job>/<run-id>/} of one run. Files are written to a hidden in-progress directory that
 * becomes visible under the run id only when {@link #commit} writes {@code summary.json}; a run that fails
 * leaves nothing at its output path.
 */
public final class RunDirectory implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final String job;
    private final String runId;
    private final StagedDirectory staged;
    private final long startNanos = System.nanoTime();

    private RunDirectory(String job, String runId, StagedDirectory staged) {
        this.job = job;
        this.runId = runId;
        this.staged = staged;
    }

    /**
     * @param config the job's config ({@code output.root}, {@code run-id})
     * @param job the job name
     * @return a new, empty in-progress run directory
     * @throws IOException if the run id is taken or the directory cannot be made
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
        Path target = Path.of(config.string("output.root")).resolve(job).resolve(runId);
        if (Files.exists(target)) {
            throw new IOException("run directory " + target + " already exists; choose another vlmadapt.run-id");
        }
        return new RunDirectory(job, runId, StagedDirectory.create(target));
    }

    /** @return the directory to write the run's files into (until {@link #commit}) */
    public Path work() {
        return staged.work();
    }

    /** @return where the run will be visible after {@link #commit} */
    public Path path() {
        return staged.target();
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
     * Writes {@code summary.json} (job, run id, config hash, seed, wall seconds, then {@code results}) and makes
     * the run visible at {@link #path()}.
     *
     * @param config the job's config
     * @param results job-specific keys
     * @return the summary as written
     * @throws IOException if writing or the final rename fails
     */
    public Map<String, Object> commit(JobConfig config, Map<String, Object> results) throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("job", job);
        summary.put("run_id", runId);
        summary.put("config_hash", config.hash());
        summary.put("seed", config.integer("seed", 0));
        summary.putAll(results);
        summary.put("wall_seconds", Math.round(wallSeconds() * 1000) / 1000.0);
        JSON.writeValue(work().resolve("summary.json").toFile(), summary);
        staged.commit();
        return summary;
    }

    /** Removes the in-progress directory of a run that did not commit. */
    @Override
    public void close() throws IOException {
        staged.close();
    }
}
