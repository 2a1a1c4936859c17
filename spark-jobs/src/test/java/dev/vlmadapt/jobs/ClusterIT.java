package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.jobs.cluster.ClusterExtension;
import dev.vlmadapt.jobs.cluster.JvmProcess;
import dev.vlmadapt.jobs.cluster.StandaloneCluster;
import dev.vlmadapt.jobs.cluster.VisibleOutput;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs on a real Spark standalone cluster: a Master and two one-core Workers in their own JVMs, executors
 * started by the Workers, and the application only in the jar users submit ({@code vlmadapt-jobs.jar}, built
 * by {@code -Pcluster,shade}; its path comes from the build as {@code vlmadapt.jar}). Results must equal Spark
 * local mode bit for bit, the model must load once per executor JVM (by the executors' own reports), and a
 * killed executor or driver must change nothing in the results, with no partial output visible meanwhile.
 */
class ClusterIT {
    @RegisterExtension
    static final ClusterExtension CLUSTER = new ClusterExtension(2);

    /** Partitions of the feature runs: six encoding tasks, so that a kill can land between two of them. */
    static final int PARTITIONS = 6;
    /** One PyTorch thread everywhere: each Worker offers one core, and the setting must reach the executors. */
    static final List<String> FEATURES = List.of("features.shots=4", "features.augmented-views=40",
            "features.partitions=" + PARTITIONS, "features.batch-size=8", "threads=1");
    /** A SharpZO run of a few hundred Spark jobs, checkpointed often so that kills land after a checkpoint. */
    static final List<String> TUNE = List.of("tune.sharpzo.subspace-dim=16", "tune.sharpzo.population=6",
            "tune.sharpzo.change-point=2", "tune.sharpzo.mask-every=4", "tune.sharpzo.mu-cge-stage2=1e-3",
            "tune.sharpzo.learning-rate=0.05", "tune.eval-every=6", "tune.checkpoint-every=12", "tune.max-chain=3",
            "tune.group-size=5", "tune.budget=300", "tune.shots=4", "model.id=tiny", "threads=1");
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);

    @TempDir
    static Path dir;
    static Path conf;
    static Path model;
    static Path jar;
    static String out;
    static Map<String, float[]> localFeatures;
    static double[] localParameters;

    @BeforeAll
    static void prepareLocally() throws Exception {
        jar = Path.of(System.getProperty("vlmadapt.jar", "target/vlmadapt-jobs.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is missing: the cluster tests run after `mvn -Pcluster,shade "
                + "package` built it (make test does)");
        conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 12, 5));
        out = "output.root=" + dir.resolve("runs");
        model = TinyModels.random(dir.resolve("tiny"), 16, 11);
        assertOk(job("ingest", "ingest", List.of("spark.master=local[2]", "ingest.partitions=2")));
        assertOk(job("splits", "splits", List.of("spark.master=local[2]", "splits.shots=4")));
        // The tune runs read these features; the feature runs on the cluster must reproduce them.
        assertOk(job("features", "features-local", then(FEATURES, "spark.master=local[1]", "model.id=tiny")));
        localFeatures = features("tiny");
        assertOk(job("tune", "tune-local", then(TUNE, "spark.master=local[1]")));
        localParameters = parameters("tune-local");
    }

    @Test
    void featuresSubmittedWithSparkSubmitSurviveAnExecutorKilledWhileEncoding() throws Exception {
        StandaloneCluster cluster = CLUSTER.cluster();
        String runId = "features-submitted";
        List<String> args = then(FEATURES, "features", "--conf", conf.toString(), "--dataset", "toy", "--model",
                model.toString(), out, "run-id=" + runId, "model.id=submitted");
        Path staging = dir.resolve("runs/tables/features");
        try (VisibleOutput output = new VisibleOutput(table("submitted"), run("features", runId));
                JvmProcess driver = cluster.submit(runId, submitArgs(args))) {
            // The fault: SIGKILL to one executor JVM once the encoding stage has committed a task and has at
            // least two to go.
            awaitOrFail(() -> committedTasks(staging) >= 1 || !driver.isAlive(), "a committed encoding task", driver);
            int committed = committedTasks(staging);
            assertTrue(driver.isAlive() && committed <= PARTITIONS - 2, "the kill comes while tasks are left ("
                    + committed + " of " + PARTITIONS + " committed):\n" + driver.tail(40));
            List<ProcessHandle> executors = cluster.executors(appId(driver));
            assertEquals(2, executors.size(), "executor JVMs before the kill");
            ProcessHandle victim = kill(executors.get(0));
            assertEquals(0, driver.waitFor(RUN_TIMEOUT), () -> "spark-submit failed:\n" + driver.tail(60));
            assertTrue(driver.output().contains("Lost executor"), "the driver saw the executor go:\n"
                    + driver.tail(60));
            output.assertOnlyAbsentOrComplete();
            assertFeaturesEqual(localFeatures, features("submitted"));
            List<JsonNode> reports = executors(summary("features", runId));
            // The killed executor may have died in its first task, leaving all the work to the other one.
            assertOnExecutorJvms(reports, driver.handle().pid(), 1);
            assertEquals(PARTITIONS, reports.stream().mapToInt(e -> e.get("tasks").asInt()).sum(),
                    "each encoding task reported once, by its successful attempt: " + reports);
            assertTrue(reports.stream().anyMatch(e -> e.get("tasks").asInt() >= 2),
                    "an executor encoded several partitions with its one model: " + reports);
            assertFalse(victim.isAlive());
        }
    }

    @Test
    void sharpZoSurvivesAnExecutorKilledMidRun() throws Exception {
        StandaloneCluster cluster = CLUSTER.cluster();
        Path checkpoint = dir.resolve("runs/tune/.tune-executor-killed.checkpoint.json");
        CompletableFuture<CliRun> running = null;
        try (VisibleOutput output = new VisibleOutput(run("tune", "tune-executor-killed"))) {
            running = CompletableFuture.supplyAsync(() -> job("tune", "tune-executor-killed",
                    concat(TUNE, onCluster())));
            // The fault: SIGKILL to one executor JVM after the run's first checkpoint, while queries run.
            killExecutorWhen(cluster, running, () -> Files.exists(checkpoint));
            CliRun r = running.get(RUN_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
            assertOk(r);
            assertTrue(r.err().contains("Lost executor"), "the driver saw the executor go:\n" + r.err());
            output.assertOnlyAbsentOrComplete();
        } finally {
            // A failed assertion must not leave the job running into the next test.
            if (running != null) {
                running.handle((r, e) -> null).get(RUN_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
            }
        }
        assertArrayEquals(localParameters, parameters("tune-executor-killed"), 0.0);
        assertOnExecutorJvms(executors(summary("tune", "tune-executor-killed")), ProcessHandle.current().pid(), 1);
    }

    @Test
    void evaluateGridOnTheClusterEqualsLocalModeWithOneModelLoadPerExecutor() throws Exception {
        Path grid = dir.resolve("grid.conf");
        Files.writeString(grid, Files.readString(conf)
                + "vlmadapt.datasets.toy-mirror = ${vlmadapt.datasets.toy} { transform { mirror = true } }\n");
        List<String> common = List.of("evaluate", "--conf", grid.toString(), out, "threads=1",
                "evaluate.models=[\"" + model + "\"]", "evaluate.datasets=[toy, toy-mirror]");
        assertOk(CliRun.of(concat(common, List.of("run-id=grid-local", "evaluate.origin=local",
                "spark.master=local[1]")).toArray(String[]::new)));
        assertOk(CliRun.of(concat(common, concat(List.of("run-id=grid-cluster", "evaluate.origin=cluster"),
                onCluster())).toArray(String[]::new)));
        List<Row> rows = TestSpark.with(s -> s.read().parquet(dir.resolve("runs/tables/rankings").toString())
                .where("source = 'evaluated'").orderBy("dataset", "origin").collectAsList());
        assertEquals(4, rows.size(), rows.toString());
        for (int i = 0; i < 4; i += 2) {
            Row cluster = rows.get(i);
            Row local = rows.get(i + 1);
            assertEquals("cluster", cluster.getAs("origin"));
            assertEquals("local", local.getAs("origin"));
            for (String metric : new String[] {"top1", "top5", "mean_per_class_recall"}) {
                assertEquals((double) local.getAs(metric), (double) cluster.getAs(metric), 0.0,
                        metric + " of " + local.getAs("dataset"));
            }
        }
        // Two tasks, one per dataset, each on an executor JVM of the cluster that loaded the model once.
        List<JsonNode> reports = executors(summary("evaluate", "grid-cluster"));
        assertOnExecutorJvms(reports, ProcessHandle.current().pid(), 1);
        assertEquals(2, reports.stream().mapToInt(e -> e.get("tasks").asInt()).sum(), reports.toString());
    }

    @Test
    void hubBuildTrainsEachModelOnAnExecutorJvmToTheBytesOfLocalMode() throws Exception {
        String tiny = TinyModels.hubRecipe(1);
        Path hub = dir.resolve("hub.conf");
        Files.writeString(hub, Files.readString(conf) + "vlmadapt.hub.models {\n  hub-a { " + tiny + " }\n"
                + "  hub-b { " + tiny.replace("epochs = 1", "epochs = 1, seed = 5, augmentation.enabled = true")
                + " }\n}\n");
        List<String> common = List.of("hub-build", "--conf", hub.toString(), out, "threads=1",
                "hub.only=[hub-a, hub-b]");
        assertOk(CliRun.of(concat(common, List.of("run-id=hub-local", "hub.root=" + dir.resolve("hub-local"),
                "spark.master=local[1]")).toArray(String[]::new)));
        assertOk(CliRun.of(concat(common, concat(List.of("run-id=hub-cluster", "hub.root=" + dir.resolve(
                "hub-cluster")), onCluster())).toArray(String[]::new)));
        for (String name : List.of("hub-a", "hub-b")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("hub-local").resolve(name).resolve("model.safetensors")),
                    Files.readAllBytes(dir.resolve("hub-cluster").resolve(name).resolve("model.safetensors")),
                    name + ": the same weights as in local mode");
            assertTrue(Files.isRegularFile(dir.resolve("hub-cluster").resolve(name).resolve("card.json")), name);
        }
        // Each training ran in an executor JVM of the cluster (a training loads no model: it makes one).
        List<JsonNode> reports = executors(summary("hub-build", "hub-cluster"));
        assertEquals(2, reports.stream().mapToInt(e -> e.get("tasks").asInt()).sum(), reports.toString());
        for (JsonNode e : reports) {
            assertNotEquals(ProcessHandle.current().pid(), e.get("pid").asLong(), reports.toString());
            assertTrue(CLUSTER.cluster().executorPidsSeen().contains(e.get("pid").asLong()), reports.toString());
            assertEquals(1, e.get("threads").asInt(), "threads=1 reached executor " + e);
        }
    }

    @Test
    void aKilledSubmittedDriverResumesFromItsCheckpointToTheSameParameters() throws Exception {
        StandaloneCluster cluster = CLUSTER.cluster();
        String runId = "tune-driver-killed";
        Path checkpoint = dir.resolve("runs/tune/." + runId + ".checkpoint.json");
        List<String> args = then(TUNE, "tune", "--conf", conf.toString(), "--dataset", "toy", "--model",
                model.toString(), "--method", "sharpzo", out, "run-id=" + runId);
        long secondPid;
        try (VisibleOutput output = new VisibleOutput(run("tune", runId))) {
            // The fault: SIGKILL to the driver JVM (spark-submit's, client mode) after its first checkpoint.
            try (JvmProcess first = cluster.submit(runId + "-1", submitArgs(args))) {
                awaitOrFail(() -> Files.exists(checkpoint) || !first.isAlive(), "a checkpoint", first);
                assertTrue(first.isAlive(), "the run ended before it could be killed:\n" + first.tail(40));
                first.kill();
            }
            assertFalse(Files.exists(run("tune", runId)), "a killed run is not visible");
            assertTrue(Files.exists(checkpoint), "the checkpoint survives the driver");
            // The Master frees the dead driver's executors; the rerun gets new ones.
            cluster.awaitExecutors(0, Duration.ofMinutes(2));
            try (JvmProcess second = cluster.submit(runId + "-2", submitArgs(args))) {
                assertEquals(0, second.waitFor(RUN_TIMEOUT), () -> "the resumed run failed:\n" + second.tail(60));
                Matcher resumed = Pattern.compile("resuming " + runId + " from step \\d+ \\((\\d+) queries\\)")
                        .matcher(second.output());
                assertTrue(resumed.find(), "the rerun resumed:\n" + second.tail(60));
                assertTrue(Long.parseLong(resumed.group(1)) > 0, "the checkpoint had spent queries: "
                        + resumed.group());
                secondPid = second.handle().pid();
            }
            output.assertOnlyAbsentOrComplete();
        }
        assertArrayEquals(localParameters, parameters(runId), 0.0, "killed and resumed vs uninterrupted local[1]");
        assertFalse(Files.exists(checkpoint), "the checkpoint is removed at the end");
        List<JsonNode> reports = executors(summary("tune", runId));
        assertOnExecutorJvms(reports, secondPid, 2);
        assertTrue(reports.stream().allMatch(e -> e.get("tasks").asInt() >= 2),
                "each executor ran several query tasks on its one model: " + reports);
    }

    // --- runs ---

    /** An in-process run of {@code job} on the toy dataset (features and tune with the tiny model, SharpZO). */
    private static CliRun job(String job, String runId, List<String> more) {
        List<String> args = new ArrayList<>(List.of(job, "--conf", conf.toString(), "--dataset", "toy", out,
                "run-id=" + runId));
        if (job.equals("features") || job.equals("tune")) {
            args.addAll(List.of("--model", model.toString()));
        }
        if (job.equals("tune")) {
            args.addAll(List.of("--method", "sharpzo"));
        }
        args.addAll(more);
        return CliRun.of(args.toArray(new String[0]));
    }

    /** Settings of an in-process driver on the cluster: the application goes to executors in the jar. */
    private static List<String> onCluster() {
        List<String> s = new ArrayList<>(List.of("spark.master=" + CLUSTER.cluster().masterUrl(),
                "spark.conf.\"spark.jars\"=" + jar));
        for (String[] kv : sparkConf()) {
            s.add("spark.conf.\"" + kv[0] + "\"=" + kv[1]);
        }
        return s;
    }

    /** spark-submit's arguments as the README gives them, with the job's after the jar. */
    private static List<String> submitArgs(List<String> jobArgs) {
        List<String> s = new ArrayList<>(List.of("--master", CLUSTER.cluster().masterUrl(),
                "--conf", "spark.driver.extraJavaOptions=-Dai.djl.offline=true"));
        for (String[] kv : sparkConf()) {
            s.addAll(List.of("--conf", kv[0] + "=" + kv[1]));
        }
        s.addAll(List.of("--class", "dev.vlmadapt.jobs.cli.Main", jar.toString()));
        s.addAll(jobArgs);
        return s;
    }

    private static List<String[]> sparkConf() {
        return List.of(new String[] {"spark.executor.extraJavaOptions", "-Dai.djl.offline=true"},
                new String[] {"spark.executor.memory", "512m"},
                // Both executors up before the first job, so that both take part.
                new String[] {"spark.scheduler.minRegisteredResourcesRatio", "1.0"},
                new String[] {"spark.scheduler.maxRegisteredResourcesWaitingTime", "180s"});
    }

    // --- faults ---

    /** Waits until {@code when} holds while the job runs, then SIGKILLs one executor JVM; returns it. */
    private static ProcessHandle killExecutorWhen(StandaloneCluster cluster, CompletableFuture<CliRun> running,
            BooleanSupplier when) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (!when.getAsBoolean()) {
            if (running.isDone() || System.nanoTime() > deadline) {
                CliRun r = running.isDone() ? running.get() : null;
                throw new AssertionError("the job " + (r != null ? "ended" : "did not get there in time")
                        + " before the moment to kill an executor" + (r != null ? ":\n" + r.all() : "\n"
                        + cluster.logTails()));
            }
            Thread.sleep(10);
        }
        String app = SparkSession.getDefaultSession().get().sparkContext().applicationId();
        List<ProcessHandle> executors = cluster.executors(app);
        assertEquals(2, executors.size(), "executor JVMs of " + app + " before the kill");
        return kill(executors.get(0));
    }

    /** @return encoding tasks committed so far (FileOutputCommitter's task directories in the staging table) */
    private static int committedTasks(Path tables) {
        try (var files = Files.walk(tables)) {
            return (int) files.filter(p -> p.getFileName().toString().startsWith("task_") && Files.isDirectory(p))
                    .count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0;                                // a directory went away while listed: look again
        }
    }

    /** @return the application id a submitted driver logged */
    private static String appId(JvmProcess driver) {
        Matcher m = Pattern.compile("Connected to Spark cluster with app ID (\\S+)").matcher(driver.output());
        assertTrue(m.find(), "no application id in the driver's log:\n" + driver.tail(40));
        return m.group(1);
    }

    /** SIGKILL, as a crash would; returns once the process is gone. */
    private static ProcessHandle kill(ProcessHandle victim) throws Exception {
        victim.destroyForcibly();
        victim.onExit().get(1, TimeUnit.MINUTES);
        return victim;
    }

    private static void awaitOrFail(BooleanSupplier done, String what, JvmProcess driver)
            throws InterruptedException {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " after " + RUN_TIMEOUT.toMinutes() + " min:\n"
                        + driver.tail(60));
            }
            Thread.sleep(10);
        }
    }

    // --- results ---

    /**
     * The executors' reports are of separate JVMs: ids that are not the driver's, process ids of executor JVMs
     * the Workers started and not the driver's, at least {@code jvms} of them, one model load in each, and the
     * job's PyTorch thread count (PyTorch's default there would be one per core of the machine).
     */
    private static void assertOnExecutorJvms(List<JsonNode> executors, long driverPid, int jvms) {
        Set<Long> pids = new HashSet<>();
        for (JsonNode e : executors) {
            assertNotEquals("driver", e.get("executor").asText(), executors.toString());
            long pid = e.get("pid").asLong();
            assertNotEquals(driverPid, pid, "an executor report from the driver's JVM: " + executors);
            assertTrue(CLUSTER.cluster().executorPidsSeen().contains(pid),
                    "pid " + pid + " is not an executor JVM of the cluster " + CLUSTER.cluster().executorPidsSeen());
            assertEquals(1, e.get("model_loads").asInt(), "model loads in executor " + e);
            assertEquals(1, e.get("threads").asInt(), "threads=1 reached executor " + e);
            pids.add(pid);
        }
        assertTrue(pids.size() >= jvms, "work ran in at least " + jvms + " executor JVMs: " + executors);
    }

    private static List<JsonNode> executors(JsonNode summary) {
        List<JsonNode> list = new ArrayList<>();
        summary.get("executors").forEach(list::add);
        return list;
    }

    private static JsonNode summary(String job, String runId) throws Exception {
        return new ObjectMapper().readTree(run(job, runId).resolve("summary.json").toFile());
    }

    private static Path run(String job, String runId) {
        return dir.resolve("runs").resolve(job).resolve(runId);
    }

    private static Path table(String modelId) {
        return dir.resolve("runs/tables/features/model=" + modelId + "/dataset=toy/k=4");
    }

    /** @return feature vectors by split, image and view */
    private static Map<String, float[]> features(String modelId) {
        List<Row> rows = TestSpark.with(s -> s.read().parquet(dir.resolve("runs/tables/features").toString())
                .where("model = '" + modelId + "'").collectAsList());
        Map<String, float[]> out = new TreeMap<>();
        for (Row r : rows) {
            List<Float> v = r.getList(r.fieldIndex("feature"));
            float[] f = new float[v.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = v.get(i);
            }
            out.put(r.getAs("split") + "/" + r.getAs("image_id") + "/" + r.getAs("view"), f);
        }
        return out;
    }

    private static void assertFeaturesEqual(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), 0f, k));
    }

    private static double[] parameters(String runId) throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                InputStream in = Files.newInputStream(run("tune", runId).resolve("parameters.safetensors"))) {
            return NDList.decode(m, in).get("w").toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    private static void assertOk(CliRun r) {
        assertEquals(0, r.code(), r::all);
    }

    /** @return {@code first}, then {@code settings} */
    private static List<String> then(List<String> settings, String... first) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(settings);
        return all;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
