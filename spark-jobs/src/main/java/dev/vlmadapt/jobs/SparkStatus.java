package dev.vlmadapt.jobs;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What the driver's Spark jobs are doing, for people: every job runs under the vlmadapt job's group and a
 * description saying which step it is (so that the Spark UI names it), and a job that runs longer than the
 * reporting interval gets a progress line on stderr every interval, with its tasks done and an ETA from their
 * rate. Work inside one long task (a hub model's training) reports its own progress.
 */
public final class SparkStatus extends SparkListener {
    private static final String DESCRIPTION = "spark.job.description";
    private static SparkStatus installed;

    private final long intervalNanos;
    private final Map<Integer, Running> jobs = new ConcurrentHashMap<>();
    private final Thread reporter;

    /** A running job's description, start, stages, task count and tasks finished. */
    private static final class Running {
        final String description;
        final long start = System.nanoTime();
        final java.util.Set<Integer> stages;
        final int tasks;
        volatile int done;
        long lastLine = start;

        Running(String description, java.util.Set<Integer> stages, int tasks) {
            this.description = description;
            this.stages = stages;
            this.tasks = tasks;
        }
    }

    private SparkStatus(double intervalSeconds) {
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        reporter = new Thread(this::report, "vlmadapt-spark-status");
        reporter.setDaemon(true);
        reporter.start();
    }

    /**
     * Installs the reporter on a context (once per context) and puts the calling thread's jobs in the job's group.
     *
     * @param sc the context
     * @param job the vlmadapt job's name, the group of its Spark jobs
     * @param intervalSeconds seconds between progress lines of a long job (0: no lines)
     */
    static synchronized void install(SparkContext sc, String job, double intervalSeconds) {
        sc.setJobGroup("vlmadapt-" + job, "vlmadapt " + job, false);
        if (intervalSeconds > 0 && (installed == null || !installed.reporter.isAlive())) {
            installed = new SparkStatus(intervalSeconds);
            sc.addSparkListener(installed);
        }
    }

    /**
     * Names the Spark jobs the calling thread starts from now on, in the Spark UI and in progress lines.
     *
     * @param sc the context
     * @param description what the jobs do, e.g. {@code tune sharpzo on toy: a batch of 1064 queries}
     */
    public static void describe(SparkContext sc, String description) {
        sc.setJobDescription(description);
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        String d = start.properties() == null ? null : start.properties().getProperty(DESCRIPTION);
        int tasks = 0;
        java.util.Set<Integer> stages = new java.util.HashSet<>();
        for (var stage : scala.jdk.javaapi.CollectionConverters.asJava(start.stageInfos())) {
            tasks += stage.numTasks();
            stages.add(stage.stageId());
        }
        jobs.put(start.jobId(), new Running(d == null ? "job " + start.jobId() : d, stages, tasks));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo() != null && end.taskInfo().successful()) {
            jobs.values().stream().filter(r -> r.stages.contains(end.stageId())).forEach(r -> r.done++);
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        jobs.remove(end.jobId());
    }

    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd end) {
        reporter.interrupt();
    }

    private void report() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(Math.max(1, intervalNanos / 4_000_000));
                long now = System.nanoTime();
                for (Map.Entry<Integer, Running> e : jobs.entrySet()) {
                    Running r = e.getValue();
                    if (now - r.lastLine >= intervalNanos) {
                        r.lastLine = now;
                        System.err.println(line(r.description, Math.min(r.done, r.tasks), r.tasks,
                                (now - r.start) / 1e9));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return a progress line; the ETA is unknown until a task has finished */
    static String line(String description, int done, int tasks, double elapsed) {
        String eta = done > 0 && done < tasks
                ? String.format(Locale.ROOT, "%.0fs", elapsed / done * (tasks - done)) : "unknown";
        return String.format(Locale.ROOT, "[spark] %s: %d/%d tasks, elapsed %.0fs, ETA %s", description, done, tasks,
                elapsed, eta);
    }
}
