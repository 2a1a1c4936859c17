package dev.vlmadapt.jobs.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on 127.0.0.1 from the jars of the class path: a Master and Workers of one core
 * each, in their own JVMs, logging under a directory of the caller's (executors log into the Workers' work
 * directories there). Executors are JVMs the Workers start per application. {@link #close} (also run by a
 * shutdown hook) stops every process the cluster started, drivers submitted through it included, by handle.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://\\S+)");
    private static final Pattern WEB_UI = Pattern.compile("MasterWebUI: .*started at http://[^:/]+:(\\d+)");

    private final Path logs;
    private final Path sparkHome;
    private final Map<String, String> env;
    private final List<JvmProcess> daemons = new CopyOnWriteArrayList<>();
    private final List<JvmProcess> drivers = new CopyOnWriteArrayList<>();
    private final Map<Long, ProcessHandle> executorsSeen = new LinkedHashMap<>();
    private final Thread hook = new Thread(this::stopAll, "stop-spark-cluster");
    private final Thread watcher;
    private String masterUrl;
    private volatile boolean closed;

    private StandaloneCluster(Path logs, Path sparkHome) {
        this.logs = logs;
        this.sparkHome = sparkHome;
        this.env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
                "SPARK_LOCAL_IP", "127.0.0.1");
        this.watcher = new Thread(this::watchExecutors, "spark-executor-watcher");
        watcher.setDaemon(true);
    }

    /**
     * Starts a Master and {@code workers} Workers and waits until all Workers are registered.
     *
     * @param logs directory for the logs, the Workers' work directories and SPARK_HOME
     * @param workers how many Workers (1 core, 1 GB each)
     * @return the running cluster
     * @throws IllegalStateException if it does not come up in time, with the logs' tails
     */
    public static StandaloneCluster start(Path logs, int workers) throws IOException, InterruptedException {
        StandaloneCluster c = new StandaloneCluster(logs, SparkHome.create(logs.resolve("spark-home")));
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            JvmProcess master = c.daemon("master", "org.apache.spark.deploy.master.Master", List.of("--host",
                    "127.0.0.1", "--port", "0", "--webui-port", "0"));
            c.masterUrl = c.await("the Master's URL", () -> find(MASTER_URL, master.output()));
            int webUi = Integer.parseInt(c.await("the Master's web UI", () -> find(WEB_UI, master.output())));
            for (int i = 1; i <= workers; i++) {
                c.daemon("worker-" + i, "org.apache.spark.deploy.worker.Worker", List.of("--host", "127.0.0.1",
                        "--cores", "1", "--memory", "1g", "--webui-port", "0", "--work-dir",
                        logs.resolve("worker-" + i).toAbsolutePath().toString(), c.masterUrl));
            }
            c.await(workers + " registered Workers", () -> aliveWorkers(webUi) == workers ? "yes" : null);
            c.watcher.start();
            return c;
        } catch (RuntimeException | IOException | InterruptedException | Error e) {
            try {
                c.close();
            } catch (RuntimeException notStopped) {
                e.addSuppressed(notStopped);
            }
            throw e;
        }
    }

    /** @return {@code spark://127.0.0.1:PORT} */
    public String masterUrl() {
        return masterUrl;
    }

    /** @return the SPARK_HOME the cluster runs from */
    public Path sparkHome() {
        return sparkHome;
    }

    /** @return the executor JVMs alive now (children of the Workers) */
    public List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        for (JvmProcess d : daemons) {
            d.handle().descendants().filter(StandaloneCluster::isExecutor).forEach(out::add);
        }
        return out;
    }

    /**
     * @param appId a Spark application id
     * @return the application's executor JVMs alive now
     */
    public List<ProcessHandle> executors(String appId) {
        return executors().stream().filter(h -> {
            List<String> args = List.of(h.info().arguments().orElse(new String[0]));
            int i = args.indexOf("--app-id");
            return i >= 0 && i + 1 < args.size() && args.get(i + 1).equals(appId);
        }).toList();
    }

    /** @return process ids of every executor JVM seen since the cluster started */
    public synchronized Set<Long> executorPidsSeen() {
        return new TreeSet<>(executorsSeen.keySet());
    }

    /**
     * @param count how many executors
     * @param timeout how long to wait
     * @return the executors, once exactly {@code count} run
     */
    public List<ProcessHandle> awaitExecutors(int count, Duration timeout) throws InterruptedException {
        List<ProcessHandle> now = executors();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (now.size() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(now.size() + " executor JVMs after " + timeout.toSeconds() + " s; expected "
                        + count + "\n" + logTails());
            }
            Thread.sleep(100);
            now = executors();
        }
        return now;
    }

    /**
     * Starts {@code spark-submit ARGS} against this cluster's SPARK_HOME (the driver runs in the new JVM, client
     * mode); the driver is stopped with the cluster at the latest.
     *
     * @param name for the log file and messages
     * @param args spark-submit's arguments (with {@code --master})
     * @return the driver process
     */
    public JvmProcess submit(String name, List<String> args) throws IOException, InterruptedException {
        JvmProcess driver = JvmProcess.start(name, SparkSubmitCommand.of(sparkHome, env, args), env,
                logs.resolve(name + ".log"));
        drivers.add(driver);
        return driver;
    }

    /** @return the last lines of the Master's and Workers' logs */
    public String logTails() {
        StringBuilder sb = new StringBuilder();
        for (JvmProcess d : daemons) {
            sb.append("--- ").append(d.log()).append(" (last 30 lines) ---\n").append(d.tail(30)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Stops drivers, Workers (with their executors) and the Master.
     *
     * @throws IllegalStateException if a process the cluster started is still alive afterwards
     */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs (or ran) stopAll itself.
        }
        List<String> alive = new ArrayList<>();
        List<ProcessHandle> all = new ArrayList<>();
        drivers.forEach(p -> all.add(p.handle()));
        daemons.forEach(p -> all.add(p.handle()));
        synchronized (this) {
            all.addAll(executorsSeen.values());
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                alive.add(h.pid() + " " + h.info().commandLine().orElse("?"));
            }
        }
        if (!alive.isEmpty()) {
            throw new IllegalStateException("processes of the test cluster still alive after stopping it: " + alive);
        }
        deleteFetchedJars();
    }

    /** Executors' copies of the application jar (one per executor, over 100 MB each); their logs stay. */
    private void deleteFetchedJars() {
        try (var files = java.nio.file.Files.walk(logs)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jar") && !f.startsWith(sparkHome)
                    && java.nio.file.Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                java.nio.file.Files.delete(f);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("[cluster] could not delete the executors' jar copies under " + logs + ": " + e);
        }
    }

    private void stopAll() {
        closed = true;
        watcher.interrupt();
        for (JvmProcess p : drivers) {
            p.close();
        }
        // Workers before the Master, so that no Worker restarts an executor or re-registers meanwhile.
        List<JvmProcess> reversed = new ArrayList<>(daemons);
        java.util.Collections.reverse(reversed);
        for (JvmProcess p : reversed) {
            p.close();
        }
        synchronized (this) {
            executorsSeen.values().forEach(ProcessHandle::destroyForcibly);
        }
    }

    private JvmProcess daemon(String name, String mainClass, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        // Spark's module openings, as this JVM has them.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-"))
                .forEach(cmd::add);
        cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
        cmd.addAll(args);
        JvmProcess p = JvmProcess.start(name, cmd, env, logs.resolve(name + ".log"));
        daemons.add(p);
        return p;
    }

    private String await(String what, Supplier<String> probe) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            String found = probe.get();
            if (found != null) {
                return found;
            }
            for (JvmProcess d : daemons) {
                if (!d.isAlive()) {
                    throw new IllegalStateException("Spark " + d.name() + " exited while waiting for " + what
                            + "\n" + logTails());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " after " + START_TIMEOUT.toSeconds() + " s\n"
                        + logTails());
            }
            Thread.sleep(200);
        }
    }

    private void watchExecutors() {
        while (!closed) {
            for (ProcessHandle h : executors()) {
                synchronized (this) {
                    executorsSeen.putIfAbsent(h.pid(), h);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean isExecutor(ProcessHandle h) {
        return h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend");
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** @return the Master's count of ALIVE Workers, from its JSON page; -1 while it does not answer */
    private static int aliveWorkers(int webUiPort) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + webUiPort + "/json/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? new ObjectMapper().readTree(r.body()).path("aliveworkers").asInt(-1) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
