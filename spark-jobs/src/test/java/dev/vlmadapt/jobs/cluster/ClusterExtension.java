package dev.vlmadapt.jobs.cluster;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link StandaloneCluster} per test class: register it as a static field,
 * {@code @RegisterExtension static final ClusterExtension CLUSTER = new ClusterExtension(2);}. It starts before
 * the class's {@code @BeforeAll} methods and is stopped after its {@code @AfterAll} methods, whether tests
 * failed or not; logs stay in {@code target/cluster-logs/<test class>/}.
 */
public final class ClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private final int workers;
    private StandaloneCluster cluster;

    /** @param workers how many Workers (one core each) */
    public ClusterExtension(int workers) {
        this.workers = workers;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path logs = Path.of("target", "cluster-logs", context.getRequiredTestClass().getSimpleName())
                .toAbsolutePath();
        dev.vlmadapt.runtime.io.StagedDirectory.deleteRecursively(logs);
        long start = System.nanoTime();
        cluster = StandaloneCluster.start(logs, workers);
        System.err.printf("[cluster] %s with %d Workers up in %.1f s (logs: %s)%n", cluster.masterUrl(), workers,
                (System.nanoTime() - start) / 1e9, logs);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** @return the running cluster (from {@code @BeforeAll} on) */
    public StandaloneCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster is not running (used before @BeforeAll?)");
        }
        return cluster;
    }
}
