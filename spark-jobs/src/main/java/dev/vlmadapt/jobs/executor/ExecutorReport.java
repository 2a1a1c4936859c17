package dev.vlmadapt.jobs.executor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.util.AccumulatorV2;

/**
 * What each executor JVM did for a job, as its own tasks report it: executor id, host, process id, the tasks it
 * completed and the distinct model loads those tasks used. A job writes it into its summary ({@code executors}),
 * so a user sees how the work spread and whether an executor loaded its model more than once (it should not:
 * {@link ModelCache} keeps one per JVM and device). Spark merges the updates of successful task attempts only.
 */
public final class ExecutorReport extends AccumulatorV2<ExecutorReport.Use, List<ExecutorReport.Use>> {
    /**
     * One executor's share.
     *
     * @param executor Spark's executor id ({@code driver} in local mode)
     * @param host the executor's host
     * @param pid the executor JVM's process id
     * @param tasks completed tasks that reported
     * @param modelLoads ids of the model loads the tasks used ({@link ModelCache#loadIds})
     * @param threads PyTorch's intra-op threads in the executor JVM
     */
    public record Use(String executor, String host, long pid, int tasks, Set<String> modelLoads, int threads)
            implements Serializable {

        /**
         * @param model the model the task used
         * @return this task's report, from inside the task
         */
        public static Use ofThisTask(ModelRef model) {
            return ofThisTask(new TreeSet<>(ModelCache.loadIds(model)));
        }

        /** @return this task's report, from inside a task that loads no model (e.g. one that trains one) */
        public static Use ofThisTask() {
            return ofThisTask(new TreeSet<>());
        }

        private static Use ofThisTask(Set<String> loads) {
            SparkEnv env = SparkEnv.get();
            String id = env == null ? "driver" : env.executorId();
            String host = env == null ? "localhost" : env.blockManager().blockManagerId().host();
            return new Use(id, host, ProcessHandle.current().pid(), 1, loads, TorchThreads.current());
        }

        Use plus(Use other) {
            Set<String> loads = new TreeSet<>(modelLoads);
            loads.addAll(other.modelLoads);
            return new Use(executor, host, pid, tasks + other.tasks, loads, threads);
        }
    }

    private final TreeMap<String, Use> byExecutor = new TreeMap<>();

    /**
     * @param sc the job's context
     * @return a report registered with {@code sc}, for the job's tasks to add to
     */
    public static ExecutorReport register(SparkContext sc) {
        ExecutorReport report = new ExecutorReport();
        sc.register(report, "vlmadapt executors");
        return report;
    }

    /** @return one map per executor (executor, host, pid, tasks, model_loads, threads), as in summaries */
    public List<Map<String, Object>> rows() {
        List<Use> uses = value();
        // Numeric executor ids in numeric order ("2" before "10").
        uses.sort(Comparator.comparing((Use u) -> u.executor().length()).thenComparing(Use::executor));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Use u : uses) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("executor", u.executor());
            row.put("host", u.host());
            row.put("pid", u.pid());
            row.put("tasks", u.tasks());
            row.put("model_loads", u.modelLoads().size());
            row.put("threads", u.threads());
            rows.add(row);
        }
        return rows;
    }

    @Override
    public synchronized boolean isZero() {
        return byExecutor.isEmpty();
    }

    @Override
    public synchronized ExecutorReport copy() {
        ExecutorReport c = new ExecutorReport();
        c.byExecutor.putAll(byExecutor);
        return c;
    }

    @Override
    public synchronized void reset() {
        byExecutor.clear();
    }

    @Override
    public synchronized void add(Use use) {
        byExecutor.merge(use.executor(), use, Use::plus);
    }

    @Override
    public void merge(AccumulatorV2<Use, List<Use>> other) {
        for (Use u : other.value()) {
            add(u);
        }
    }

    @Override
    public synchronized List<Use> value() {
        return new ArrayList<>(byExecutor.values());
    }
}
