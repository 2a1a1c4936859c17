package dev.vlmadapt.jobs.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A tuning run's checkpoint, {@code <output.root>/tune/.<run-id>.checkpoint.json} (local or object store):
 * written to a temporary name and renamed, so a kill during a write leaves the previous checkpoint; removed
 * when the run completes. It records the config hash, and a run resumes only under the same configuration.
 */
final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param configHash hash of the run's configuration
     * @param checkpoint the loop's checkpoint
     */
    record Saved(String configHash, TuningLoop.Checkpoint checkpoint) {
    }

    private final FileSystem fs;
    private final Path file;

    Checkpoints(FileSystem fs, String outputRoot, String runId) {
        this.fs = fs;
        this.file = new Path(new Path(outputRoot, "tune"), "." + runId + ".checkpoint.json");
    }

    Path file() {
        return file;
    }

    /** @return the saved checkpoint, or null when there is none */
    Saved load() throws IOException {
        if (!fs.exists(file)) {
            return null;
        }
        try (InputStream in = fs.open(file)) {
            return JSON.readValue(in, Saved.class);
        }
    }

    void save(Saved saved) throws IOException {
        Path tmp = new Path(file.getParent(), file.getName() + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            JSON.writeValue(out, saved);
        }
        fs.delete(file, false);
        if (!fs.rename(tmp, file)) {
            throw new IOException("cannot move " + tmp + " to " + file);
        }
    }

    void delete() throws IOException {
        fs.delete(file, false);
    }
}
