package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short tuning runs on toy data in Spark local mode: the same final parameters with one or two task threads,
 * with failed task attempts, and in-process; a run killed with SIGKILL resumes to the same parameters.
 */
class TuneJobTest {
    @TempDir
    static Path dir;
    static Path conf;
    static Path model;
    static String out;

    /** SharpZO scaled down: d = 16, S = 6, stage 2 after 2 iterations, masks every 4 steps. */
    static final List<String> SMALL = List.of("tune.sharpzo.subspace-dim=16", "tune.sharpzo.population=6",
            "tune.sharpzo.change-point=2", "tune.sharpzo.mask-every=4", "tune.sharpzo.mu-cge-stage2=1e-3",
            "tune.sharpzo.learning-rate=0.05", "tune.eval-every=6", "tune.checkpoint-every=40", "tune.max-chain=3",
            "tune.group-size=5", "tune.budget=240", "features.shots=4", "tune.shots=4", "model.id=tiny");

    @BeforeAll
    static void data() throws Exception {
        conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 12, 5));
        out = "output.root=" + dir.resolve("runs");
        model = TinyModels.random(dir.resolve("tiny"), 16, 11);
        for (String[] job : List.of(new String[] {"ingest", "ingest.partitions=2"},
                new String[] {"splits", "splits.shots=4"},
                new String[] {"features", "features.shots=4"})) {
            CliRun r = CliRun.of(job[0], "--conf", conf.toString(), "--dataset", "toy", out, "run-id=" + job[0],
                    "spark.master=local[2]", job[1], "model.dir=" + model, "model.id=tiny");
            assertEquals(0, r.code(), r.all());
        }
    }

    private static CliRun tune(String runId, String... more) {
        return tuneWith("sharpzo", runId, more);
    }

    private static CliRun tuneWith(String method, String runId, String... more) {
        List<String> args = new ArrayList<>(List.of("tune", "--conf", conf.toString(), "--dataset", "toy",
                "--model", model.toString(), "--method", method, out, "run-id=" + runId));
        args.addAll(SMALL);
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(new String[0]));
    }

    private static double[] parameters(String runId) throws Exception {
        return parameters(runId, "w");
    }

    private static double[] parameters(String runId, String name) throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                InputStream in = Files.newInputStream(dir.resolve("runs/tune/" + runId + "/parameters.safetensors"))) {
            return NDList.decode(m, in).get(name).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                    .toDoubleArray();
        }
    }

    @Test
    void blackVipPromptsTheImagesWithTheSameParametersChainedShardedOrInProcess() throws Exception {
        // Pairs of queries per group, so that a step's 10 queries are 5 groups.
        String[] small = {"tune.blackvip.code-dim=4", "tune.blackvip.trigger-dim=2", "tune.blackvip.grid=4",
            "tune.budget=40", "tune.eval-every=10", "tune.group-size=2"};
        CliRun one = tuneWith("blackvip", "v1", concat(small, "spark.master=local[1]"));
        assertEquals(0, one.code(), one.all());
        double[] w1 = parameters("v1");
        assertEquals(2 + 48 * 6 + 48, w1.length, "trigger, decoder weight and bias");
        assertTrue(java.util.Arrays.stream(w1, 2, w1.length).anyMatch(v -> v != 0), "the decoder moved");
        assertEquals(48 * 6, parameters("v1", "decoder.weight").length);
        assertEquals(4 * 16, parameters("v1", "projection").length, "R: code-dim × projection dim");
        // No chains: each step's groups spread over two task threads, first attempts failing.
        CliRun two = tuneWith("blackvip", "v2", concat(small, "spark.master=local[2,4]", "tune.max-chain=0",
                "tune.fail-first-attempts=true"));
        assertEquals(0, two.code(), two.all());
        assertTrue(two.all().contains("injected failure"), "failures were injected");
        assertArrayEquals(w1, parameters("v2"), 0.0, "chains in local[1] vs sharded steps in local[2] with failures");
        assertEquals(0, tuneWith("blackvip", "v3", concat(small, "tune.evaluator=local")).code());
        assertArrayEquals(w1, parameters("v3"), 0.0, "in-process evaluation");
        JsonNode s = new ObjectMapper().readTree(dir.resolve("runs/tune/v1/summary.json").toFile());
        assertEquals("blackvip", s.get("method").asText());
        assertEquals(40, s.get("queries").asLong(), "4 SPSA-GC steps of 5 two-sided draws");
        assertTrue(one.err().contains("blackvip on toy"), one.err());
        CliRun augmented = tuneWith("blackvip", "v4", concat(small, "tune.train-view=1"));
        assertEquals(2, augmented.code(), augmented.all());
        assertTrue(augmented.err().contains("tune.train-view"), augmented.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void sameParametersWithOneOrTwoThreadsFailedAttemptsOrNoSpark() throws Exception {
        CliRun one = tune("t1", "spark.master=local[1]");
        assertEquals(0, one.code(), one.all());
        double[] w1 = parameters("t1");
        assertTrue(java.util.Arrays.stream(w1).anyMatch(v -> v != 0), "the run moved the parameters");
        assertEquals(0, tune("t2", "spark.master=local[2]").code());
        assertArrayEquals(w1, parameters("t2"), 0.0, "local[1] vs local[2]");
        CliRun failing = tune("t3", "spark.master=local[2,4]", "tune.fail-first-attempts=true");
        assertEquals(0, failing.code(), failing.all());
        assertTrue(failing.all().contains("injected failure"), "failures were injected");
        assertArrayEquals(w1, parameters("t3"), 0.0, "with failed first attempts");
        assertEquals(0, tune("t4", "tune.evaluator=local").code());
        assertArrayEquals(w1, parameters("t4"), 0.0, "in-process evaluation");

        JsonNode s = new ObjectMapper().readTree(dir.resolve("runs/tune/t1/summary.json").toFile());
        for (String key : List.of("method", "dataset", "model", "seed", "queries", "zero_shot_acc", "val_acc",
                "test_acc", "change_point", "wall_seconds", "recomputed_queries")) {
            assertTrue(s.has(key), "summary has " + key + ": " + s);
        }
        assertEquals(2, s.get("change_point").asInt());
        assertTrue(s.get("queries").asLong() <= 240 && s.get("queries").asLong() > 200, s.toString());
        List<Row> metrics = TestSpark.with(sp -> sp.read().parquet(dir.resolve("runs/tune/t1/metrics.parquet")
                .toString()).orderBy("step").collectAsList());
        assertEquals(List.of("step", "stage", "queries", "loss", "train_acc", "val_acc", "elapsed_s", "recomputed",
                "test_acc"), List.of(metrics.get(0).schema().fieldNames()));
        assertEquals(0, s.get("recomputed_queries").asLong(), "no transient fault in this run");
        assertEquals(0, (int) metrics.get(0).getAs("step"));
        assertTrue(metrics.stream().anyMatch(r -> r.getAs("stage").equals("stage2")));
        assertEquals(s.get("queries").asLong(), s.get("reported_queries").asLong(), "report = last");

        // The same run reporting its best validation measurement, with a test point after 100 queries: the
        // optimizer's path is the same (same metrics), the report may be an earlier step.
        CliRun best = tune("t5", "spark.master=local[1]", "tune.report=best-val", "tune.test-at=[100]");
        assertEquals(0, best.code(), best.all());
        JsonNode b = new ObjectMapper().readTree(dir.resolve("runs/tune/t5/summary.json").toFile());
        List<Row> bm = TestSpark.with(sp -> sp.read().parquet(dir.resolve("runs/tune/t5/metrics.parquet")
                .toString()).orderBy("queries").collectAsList());
        double bestVal = bm.stream().mapToDouble(r -> r.getAs("val_acc")).max().orElseThrow();
        assertEquals(bestVal, b.get("val_acc").asDouble(), 0.0, "the reported validation accuracy is the best");
        long firstBest = bm.stream().filter(r -> (double) r.getAs("val_acc") == bestVal).mapToLong(r -> r.getAs("queries"))
                .min().orElseThrow();
        assertEquals(firstBest, b.get("reported_queries").asLong(), "the earliest of the best measurements");
        assertEquals(1, b.get("test_at").size(), "one test point: " + b);
        long point = b.get("test_at").get(0).get("queries").asLong();
        assertTrue(point >= 100, "measured at the first measurement after 100 queries: " + point);
        assertEquals(metrics.size(), bm.size(), "test points leave the run's measurements as they were");
        // One run serves both reports: the last iterate's test accuracy is the report = last run's.
        assertEquals(s.get("test_acc").asDouble(), b.get("test_acc_last").asDouble(), 0.0);
        assertEquals(b.get("test_acc").asDouble(), b.get("test_acc_best_val").asDouble(), 0.0);
        assertEquals(s.get("test_acc_best_val").asDouble(), b.get("test_acc_best_val").asDouble(), 0.0);
        assertFalse(Files.exists(dir.resolve("runs/tune/.t1.checkpoint.json")), "checkpoint removed at the end");
    }

    @Test
    void planPricesTheRunWithoutRunningItAndCountsItsQueries() throws Exception {
        CliRun plan = tune("plan1", "--plan", "spark.master=local[2]");
        assertEquals(0, plan.code(), plan.all());
        assertFalse(Files.exists(dir.resolve("runs/tune/plan1")), "a plan writes nothing");
        assertTrue(plan.out().contains("Plan: tune sharpzo on toy"), plan.out());
        assertTrue(plan.out().contains("expected wall time: ") && plan.out().contains("on ViT-B/16 at 12 TFLOP/s"),
                plan.out());
        java.util.regex.Matcher total = java.util.regex.Pattern.compile("\\n  total +(\\d+)\\n").matcher(plan.out());
        assertTrue(total.find(), plan.out());
        java.util.regex.Matcher stage2 = java.util.regex.Pattern.compile("\\n  stage2 +(\\d+) +(\\d+)")
                .matcher(plan.out());
        assertTrue(stage2.find(), plan.out());

        CliRun run = tune("plan1", "spark.master=local[2]");
        assertEquals(0, run.code(), run.all());
        Map<?, ?> summary = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                dir.resolve("runs/tune/plan1/summary.json").toFile(), Map.class);
        assertEquals(Long.parseLong(total.group(1)), ((Number) summary.get("queries")).longValue());
        // Stage 2 begins after the 2 stage-1 iterations of SMALL.
        assertEquals(2 + Integer.parseInt(stage2.group(1)), ((Number) summary.get("steps")).intValue());
    }

    @Test
    void experimentWritesResultsAndTable() throws Exception {
        List<String> args = new ArrayList<>(List.of("experiment", "--conf", conf.toString(), "--model",
                model.toString(), out, "run-id=e1", "experiment.tasks=[toy]", "experiment.methods=[zeroshot, bbt, zip]",
                "experiment.seeds=[1, 2]", "experiment.budget=60", "spark.master=local[2]"));
        args.addAll(SMALL);
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.all());
        List<Row> rows = TestSpark.with(sp -> sp.read().parquet(dir.resolve("runs/experiment/e1/results.parquet")
                .toString()).orderBy("method", "seed").collectAsList());
        assertEquals(6, rows.size());
        for (Row row : rows) {
            assertTrue((long) row.getAs("queries") <= 60, row.toString());
            String method = row.getAs("method");
            assertEquals(method.equals("zeroshot"), (long) row.getAs("queries") == 0, row.toString());
            assertTrue(Files.isRegularFile(dir.resolve("runs/tune/" + row.getAs("run") + "/summary.json")));
        }
        String md = Files.readString(dir.resolve("runs/experiment/e1/results.md"));
        assertTrue(md.startsWith("| method | toy | average |"), md);
        assertTrue(md.contains("| bbt |") && md.contains("| zip |") && md.contains(" ± "), md);
        assertTrue(r.out().contains(md.trim()), "the table is printed");

        // Rerun in a JVM of its own, where nothing has loaded PyTorch yet when the finished runs are checked
        // (their result hash includes PyTorch's thread count): every run is reused, the table is the same.
        dev.vlmadapt.runtime.io.StagedDirectory.deleteRecursively(dir.resolve("runs/experiment/e1"));
        Path rerunLog = dir.resolve("e1-rerun.log");
        Process rerun = new ProcessBuilder(ChildJvm.command(args)).redirectErrorStream(true)
                .redirectOutput(rerunLog.toFile()).start();
        try {
            assertTrue(rerun.waitFor(3, TimeUnit.MINUTES), "the rerun finished");
        } finally {
            rerun.destroyForcibly();
        }
        String rerunOut = Files.readString(rerunLog);
        assertEquals(0, rerun.exitValue(), rerunOut);
        assertFalse(rerunOut.contains("[tune "), "no run was computed again: " + rerunOut);
        assertEquals(md, Files.readString(dir.resolve("runs/experiment/e1/results.md")));

        // A variant of zip with a larger step, side by side with zip, and a test point after 30 queries.
        List<String> study = new ArrayList<>(List.of("experiment", "--conf", conf.toString(), "--model",
                model.toString(), out, "run-id=e2", "experiment.tasks=[toy]", "experiment.methods=[zip, zip-a]",
                "experiment.seeds=[1]", "experiment.budget=60", "spark.master=local[2]", "tune.test-at=[30]",
                "experiment.variants.zip-a.method=zip", "experiment.variants.zip-a.settings.\"tune.zip.a\"=0.5"));
        study.addAll(SMALL);
        CliRun sr = CliRun.of(study.toArray(new String[0]));
        assertEquals(0, sr.code(), sr.all());
        List<Row> curve = TestSpark.with(sp -> sp.read().parquet(dir.resolve("runs/experiment/e2/results.parquet")
                .toString()).orderBy("method", "budget").collectAsList());
        assertEquals(List.of("zip/30", "zip/60", "zip-a/30", "zip-a/60"), curve.stream()
                .map(x -> x.getAs("method") + "/" + x.getAs("budget")).toList(), "a test point and the end per run");
        assertTrue((long) curve.get(0).getAs("queries") >= 30, curve.get(0).toString());
        JsonNode variant = new ObjectMapper().readTree(dir.resolve("runs/tune/" + curve.get(2).getAs("run")
                + "/summary.json").toFile());
        assertEquals("zip", variant.get("method").asText());
        assertFalse(curve.get(1).getAs("test_acc").equals(curve.get(3).getAs("test_acc"))
                && curve.get(1).getAs("val_acc").equals(curve.get(3).getAs("val_acc"))
                && TuneJobTest.sameParameters(curve.get(1).getAs("run"), curve.get(3).getAs("run")),
                "the variant's setting reached its runs");
        String studyMd = Files.readString(dir.resolve("runs/experiment/e2/results.md"));
        assertTrue(studyMd.contains("Test accuracy at 30 queries:") && studyMd.contains("Validation accuracy at 60"),
                studyMd);
        CliRun unknown = CliRun.of("experiment", "--conf", conf.toString(), "--model", model.toString(), out,
                "run-id=e3", "experiment.methods=[zip-b]");
        assertEquals(2, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("'zip-b'"), unknown.err());

        // Repeating the experiment id with another budget must not reuse runs made with the old one.
        List<String> again = new ArrayList<>(args);
        again.add("experiment.budget=30");
        dev.vlmadapt.runtime.io.StagedDirectory.deleteRecursively(dir.resolve("runs/experiment/e1"));
        CliRun other = CliRun.of(again.toArray(new String[0]));
        assertEquals(2, other.code(), other.all());
        assertTrue(other.err().contains("was finished with other settings"), other.err());
    }

    /** @return whether two tune runs wrote the same parameters */
    static boolean sameParameters(String runA, String runB) throws java.io.IOException {
        return java.util.Arrays.equals(Files.readAllBytes(dir.resolve("runs/tune/" + runA + "/parameters.safetensors")),
                Files.readAllBytes(dir.resolve("runs/tune/" + runB + "/parameters.safetensors")));
    }

    @Test
    void aRunKilledWithSigkillResumesToTheSameParameters() throws Exception {
        assertEquals(0, tune("whole", "spark.master=local[2]").code());
        Path checkpoint = dir.resolve("runs/tune/.killed.checkpoint.json");
        List<String> args = new ArrayList<>(List.of("tune", "--conf", conf.toString(), "--dataset", "toy", "--model",
                model.toString(), "--method", "sharpzo", out, "run-id=killed", "spark.master=local[2]"));
        args.addAll(SMALL);
        List<String> cmd = ChildJvm.command(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(checkpoint) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the run was still going when its first checkpoint appeared: "
                + Files.readString(dir.resolve("killed.log")));
        p.destroyForcibly();                       // SIGKILL on Linux
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertFalse(Files.exists(dir.resolve("runs/tune/killed")), "a killed run is not visible");
        CliRun resumed = tune("killed", "spark.master=local[2]");
        assertEquals(0, resumed.code(), resumed.all());
        assertTrue(resumed.err().contains("resuming killed"), resumed.err());
        assertArrayEquals(parameters("whole"), parameters("killed"), 0.0);
    }

    @Test
    void resultHashCoversThreadsAndDeviceButNotHowTheRunIsSpread() {
        java.util.function.Function<java.util.Map<String, String>, String> hash =
                kv -> dev.vlmadapt.jobs.tune.TuneJob.resultHash(JobConfig.load(null, kv));
        String base = hash.apply(java.util.Map.of("threads", "1"));
        assertFalse(base.equals(hash.apply(java.util.Map.of("threads", "2"))), "thread count changes rounding");
        int resolved = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        assertEquals(hash.apply(java.util.Map.of("threads", Integer.toString(resolved))),
                hash.apply(java.util.Map.of("threads", "0")), "threads = 0 is the count it resolves to");
        assertFalse(base.equals(hash.apply(java.util.Map.of("threads", "1",
                "spark.conf.\"spark.task.resource.gpu.amount\"", "1"))), "GPU queries round differently");
        assertEquals(base, hash.apply(java.util.Map.of("threads", "1", "tune.evaluator", "local",
                "tune.max-chain", "7", "spark.master", "local[3]")), "how queries are spread does not count");
    }
}
