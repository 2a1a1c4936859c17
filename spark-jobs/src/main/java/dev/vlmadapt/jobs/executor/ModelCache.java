package dev.vlmadapt.jobs.executor;

import ai.djl.Device;
import dev.vlmadapt.jobs.HadoopFs;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.io.StagedDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * The models of one executor JVM: each (model, device) is loaded once, by the first task that needs it, and
 * reused by every later task of every job in this JVM. A remote ({@code s3a://}) model directory is first
 * copied to local disk. Tasks on a GPU, or on a CPU whose PyTorch runs several intra-op threads, take turns on
 * a model ({@link #withModel}), so concurrent tasks never oversubscribe the device; each task prepares its
 * inputs outside the turn. With one PyTorch thread ({@code vlmadapt.threads = 1}) CPU tasks run side by side,
 * one per core (inference only reads the weights).
 */
public final class ModelCache {
    private record Key(String uri, String fingerprint, Device device) {
    }

    private static final class Entry {
        final ReentrantLock turn = new ReentrantLock();
        volatile ClipModel model;
        // Unique per load, so reports can tell a reused model from a reload (even by another copy of this class).
        volatile String loadId;
    }

    private static final Map<Key, Entry> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ModelCache() {
    }

    /**
     * Runs {@code work} with the model loaded on {@code device}, holding that model's turn.
     *
     * @param ref the model
     * @param device where to run it
     * @param work what to do with it
     * @param <T> result type
     * @return {@code work}'s result
     */
    public static <T> T withModel(ModelRef ref, Device device, Function<ClipModel, T> work) {
        applyThreads();
        Entry entry = MODELS.computeIfAbsent(new Key(ref.uri(), ref.fingerprint(), device), k -> new Entry());
        entry.turn.lock();
        boolean locked = true;
        try {
            if (entry.model == null) {
                entry.model = load(ref, device);
                entry.loadId = UUID.randomUUID().toString();
                LOADS.incrementAndGet();
            }
            if (device.isGpu() || TorchThreads.current() > 1) {
                return work.apply(entry.model);
            }
            entry.turn.unlock();
            locked = false;
            return work.apply(entry.model);
        } finally {
            if (locked) {
                entry.turn.unlock();
            }
        }
    }

    /** @return how many times this JVM loaded a model (for tests and logs) */
    public static int loads() {
        return LOADS.get();
    }

    /**
     * @param ref a model
     * @return the ids of this JVM's loads of {@code ref} (one per device it was loaded on; empty if never loaded)
     */
    public static Set<String> loadIds(ModelRef ref) {
        Set<String> ids = new TreeSet<>();
        MODELS.forEach((key, entry) -> {
            if (key.uri().equals(ref.uri()) && key.fingerprint().equals(ref.fingerprint()) && entry.loadId != null) {
                ids.add(entry.loadId);
            }
        });
        return ids;
    }

    /** The Spark setting that carries {@code vlmadapt.threads} to executor JVMs. */
    public static final String THREADS_CONF = "spark.vlmadapt.threads";

    /**
     * Applies the job's PyTorch thread count in this JVM: {@code vlmadapt.threads} is set in the driver JVM by the
     * launcher, executors only see the job's Spark conf, and results depend on it (how sums are split).
     */
    /** Sets PyTorch's threads in this executor JVM to the job's {@code threads} (spark.vlmadapt.threads). */
    public static void applyThreads() {
        SparkEnv env = SparkEnv.get();
        int threads = env == null ? 0 : env.conf().getInt(THREADS_CONF, 0);
        if (threads > 0 && TorchThreads.current() != threads) {
            TorchThreads.set(threads);
        }
    }

    private static ClipModel load(ModelRef ref, Device device) {
        try {
            if (HadoopFs.isLocal(ref.uri())) {
                return ClipModel.load(java.nio.file.Path.of(new Path(ref.uri()).toUri()), device);
            }
            java.nio.file.Path local = Files.createTempDirectory("vlmadapt-model-");
            Path remote = new Path(ref.uri());
            FileSystem fs = HadoopFs.of(remote, executorHadoopConf());
            try {
                for (var f : fs.listStatus(remote)) {
                    if (f.isFile()) {
                        fs.copyToLocalFile(false, f.getPath(), new Path(local.resolve(f.getPath().getName()).toUri()),
                                true);
                    }
                }
                return ClipModel.load(local, device);
            } finally {
                // The weights are in memory now; the copy is not needed.
                StagedDirectory.deleteRecursively(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + ref.uri() + " on " + device + ": " + e.getMessage(), e);
        }
    }

    /** The job's {@code spark.hadoop.*} settings (S3A endpoint and credentials) as a Hadoop configuration. */
    private static Configuration executorHadoopConf() {
        Configuration conf = new Configuration();
        SparkEnv env = SparkEnv.get();
        if (env != null) {
            SparkConf sc = env.conf();
            for (Tuple2<String, String> kv : sc.getAll()) {
                if (kv._1().startsWith("spark.hadoop.")) {
                    conf.set(kv._1().substring("spark.hadoop.".length()), kv._2());
                }
            }
        }
        return conf;
    }
}
