package dev.vlmadapt.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.jobs.CliRun;
import dev.vlmadapt.jobs.TuningFixture;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * notebooks/tuning.ipynb end to end: a tiny experiment (zero-shot and SharpZO on toy data, a random tiny CLIP),
 * then tools/notebooks/run.py executes the notebook in the Java kernel over those outputs. Jupyter (Debian's
 * python3-nbclient, installed by make setup) and the kernel jar (copied by the build) must be there: without
 * them the test fails, it does not skip.
 */
class TuningNotebookTest {
    private static final Path ROOT = Path.of(System.getProperty("vlmadapt.project.root", "..")).toAbsolutePath()
            .normalize();
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @Test
    void tuningNotebookDrawsTheExperimentsCurvesWithoutAnErrorAndLeavesNoKernelRunning() throws Exception {
        Path kernelJar = Path.of(System.getProperty("vlmadapt.kernel.jar",
                ROOT.resolve("spark-jobs/target/jupyter/rapaio-jupyter-kernel.jar").toString()));
        assertTrue(Files.isRegularFile(kernelJar), "the Java kernel " + kernelJar + " is missing: the build copies it "
                + "(maven-dependency-plugin, execution notebook-kernel)");
        assertTrue(Files.isExecutable(Path.of(PYTHON)) && exitCode(PYTHON, "-c", "import nbclient, nbformat") == 0,
                "Debian's python3-nbclient and python3-nbformat are missing: make setup installs them");

        long t0 = System.nanoTime();
        CliRun experiment = TuningFixture.experiment(dir, "nb");
        assertEquals(0, experiment.code(), experiment.all());
        long t1 = System.nanoTime();

        Instant started = Instant.now();
        Path out = dir.resolve("executed");
        Path jupyter = dir.resolve("jupyter");
        ProcessBuilder pb = new ProcessBuilder(PYTHON, ROOT.resolve("tools/notebooks/run.py").toString(), "--out",
                out.toString(), ROOT.resolve("notebooks/tuning.ipynb").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("runner.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("VLMADAPT_RUNS", dir.resolve("runs").toString());
        env.put("VLMADAPT_MODELS", dir.resolve("models").toString());
        env.put("VLMADAPT_KERNEL_JAR", kernelJar.toString());
        env.put("VLMADAPT_JUPYTER_DIR", jupyter.toString());
        // The test's own class path (this module's classes and every dependency), whatever built it, less
        // logback: a test dependency (of s3proxy) that would make SLF4J warn of two providers in the cells.
        env.put("VLMADAPT_NOTEBOOK_CLASSPATH", java.util.Arrays.stream(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")).split(File.pathSeparator))
                .filter(e -> !e.contains("logback")).collect(java.util.stream.Collectors.joining(File.pathSeparator)));
        env.remove("VLMADAPT_EXPERIMENT_RUN");
        Process runner = pb.start();
        try {
            assertTrue(runner.waitFor(4, TimeUnit.MINUTES), "the runner finished");
        } finally {
            runner.descendants().forEach(ProcessHandle::destroyForcibly);
            runner.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("runner.log"));
        System.out.printf("experiment %.1f s, runner %.1f s:%n%s%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9,
                log);
        assertEquals(0, runner.exitValue(), log);
        assertTrue(log.contains("tuning.ipynb: ok"), log);

        JsonNode nb = new ObjectMapper().readTree(out.resolve("tuning.ipynb").toFile());
        int images = 0;
        List<String> errors = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (JsonNode cell : nb.get("cells")) {
            for (JsonNode o : cell.path("outputs")) {
                images += o.path("data").has("image/png") ? 1 : 0;
                if (o.path("output_type").asText().equals("error") || o.path("name").asText().equals("stderr")) {
                    errors.add(o.toString());
                }
                o.path("data").fields().forEachRemaining(e -> text.append(e.getValue().toString()));
            }
        }
        assertTrue(errors.isEmpty(), "no error output: " + errors);
        assertEquals(2, images, "loss and validation accuracy of the one task with a curve (SharpZO): " + text);
        assertTrue(text.toString().contains("Experiment **nb**"), text.toString());
        assertTrue(text.toString().contains("sharpzo") && text.toString().contains("queries/s"), text.toString());
        assertTrue(Files.isRegularFile(out.resolve("tuning.html")), "the HTML copy");
        assertNoKernelLeft(jupyter, started);
        if (System.getProperty("vlmadapt.keep.notebook") != null) {
            Files.copy(out.resolve("tuning.ipynb"), Path.of(System.getProperty("vlmadapt.keep.notebook")),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The kernels' command lines name their connection files, which lie under the test's Jupyter folder. */
    private static void assertNoKernelLeft(Path jupyter, Instant since) throws InterruptedException {
        List<ProcessHandle> left = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            left = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                    .contains(jupyter.toString() + File.separator)).filter(ProcessHandle::isAlive).toList();
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(250);
        }
        left.forEach(ProcessHandle::destroyForcibly);
        fail("kernel processes left running (now killed): " + left.stream().map(p -> p.pid() + " "
                + p.info().commandLine().orElse("")).toList() + " since " + since);
    }

    @Test
    void notebooksAreStoredWithoutOutputs() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> dirty = new ArrayList<>();
        List<Path> notebooks;
        try (var s = Files.list(ROOT.resolve("notebooks"))) {
            notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertFalse(notebooks.isEmpty(), "notebooks in " + ROOT.resolve("notebooks"));
        for (Path p : notebooks) {
            int index = 0;
            for (JsonNode cell : json.readTree(p.toFile()).get("cells")) {
                boolean code = cell.path("cell_type").asText().equals("code");
                if (code && (cell.path("outputs").size() > 0 || !cell.path("execution_count").isNull())) {
                    dirty.add(p.getFileName() + " cell " + index);
                }
                index++;
            }
        }
        assertTrue(dirty.isEmpty(), "stored with outputs (clear them: jupyter nbconvert --clear-output --inplace): "
                + dirty);
    }

    private static int exitCode(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect
                .DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
