package dev.vlmadapt.jobs.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.jobs.HadoopFs;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A tuning run's checkpoint, {@code <output.root>/tune/.<run-id>.checkpoint.json} (local or object store),
 * replaced atomically, so a kill during a write leaves the previous checkpoint: on a local disk it is written
 * to a temporary file and moved over the old one in one step; on an object store a single PUT replaces the
 * object atomically. Removed when the run completes. It records a hash of the settings that determine the
 * results, and a run resumes only under the same settings.
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
        if (!HadoopFs.isLocal(file.toString())) {
            try (OutputStream out = fs.create(file, true)) {
                JSON.writeValue(out, saved);
            }
            return;
        }
        java.nio.file.Path target = java.nio.file.Path.of(file.toUri().getPath());
        java.nio.file.Files.createDirectories(target.getParent());
        java.nio.file.Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), saved);
        java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    void delete() throws IOException {
        fs.delete(file, false);
    }
}
