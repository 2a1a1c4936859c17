package dev.vlmadapt.jobs.executor;

import dev.vlmadapt.jobs.HadoopFs;
import dev.vlmadapt.runtime.clip.CheckpointException;
import dev.vlmadapt.runtime.clip.CheckpointLayout;
import dev.vlmadapt.runtime.clip.CheckpointReader;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.io.StagedDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a task needs to find a model: the model directory's URI (local or {@code s3a://}) and a fingerprint of
 * its files (names, sizes, modification times), so a JVM that cached a model reloads it when the directory
 * was replaced. Made on the driver, shipped to tasks.
 *
 * @param uri the model directory, fully qualified
 * @param fingerprint the files' names, sizes and modification times
 */
public record ModelRef(String uri, String fingerprint) implements Serializable {

    /**
     * @param dir a model directory, local path or URI
     * @param conf Hadoop configuration with the S3A settings
     * @return the reference
     * @throws IOException if the directory cannot be listed
     * @throws IllegalArgumentException if it does not exist or holds no files
     */
    public static ModelRef of(String dir, Configuration conf) throws IOException {
        Path path = new Path(dir);
        FileSystem fs = HadoopFs.of(path, conf);
        Path qualified = fs.makeQualified(path);
        if (!fs.exists(qualified)) {
            throw new IllegalArgumentException("model directory " + dir + " does not exist (vlmadapt.model.dir)");
        }
        FileStatus[] files = fs.listStatus(qualified);
        Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
        StringBuilder fp = new StringBuilder();
        for (FileStatus f : files) {
            if (f.isFile()) {
                fp.append(f.getPath().getName()).append(':').append(f.getLen()).append(':')
                        .append(f.getModificationTime()).append(';');
            }
        }
        if (fp.isEmpty()) {
            throw new IllegalArgumentException("model directory " + dir + " holds no files (vlmadapt.model.dir)");
        }
        return new ModelRef(qualified.toString(), fp.toString());
    }

    /**
     * Reads only the architecture (the config files are copied, not the weights), on the driver.
     *
     * @param conf Hadoop configuration with the S3A settings
     * @return the model's architecture
     * @throws IOException if the directory cannot be read or holds no supported checkpoint
     */
    public ClipConfig config(Configuration conf) throws IOException {
        Path dir = new Path(uri);
        FileSystem fs = HadoopFs.of(dir, conf);
        for (CheckpointLayout layout : CheckpointLayout.values()) {
            if (fs.exists(new Path(dir, layout.configFile())) && fs.exists(new Path(dir, layout.weightsFile()))) {
                java.nio.file.Path local = Files.createTempDirectory("vlmadapt-config-");
                try {
                    for (String name : new String[] {layout.configFile(), "preprocessor_config.json"}) {
                        Path f = new Path(dir, name);
                        if (fs.exists(f)) {
                            fs.copyToLocalFile(false, f, new Path(local.resolve(name).toUri()), true);
                        }
                    }
                    return CheckpointReader.readConfig(local, layout);
                } catch (CheckpointException e) {
                    throw new IOException("model " + uri + ": " + e.getMessage(), e);
                } finally {
                    StagedDirectory.deleteRecursively(local);
                }
            }
        }
        throw new IllegalArgumentException("model directory " + uri + " holds no supported checkpoint: expected "
                + "config.json + model.safetensors (Hugging Face) or open_clip_config.json + "
                + "open_clip_model.safetensors (OpenCLIP) (vlmadapt.model.dir)");
    }

    /** @return the directory's last path element, the default model id */
    public String name() {
        return new Path(uri).getName();
    }

    /**
     * @param configured {@code vlmadapt.model.id}
     * @return the model's id in the tables: the configured one, else {@link #name()}
     */
    public String id(String configured) {
        return configured.isEmpty() ? name() : configured;
    }
}
