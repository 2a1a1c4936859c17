package dev.vlmadapt.jobs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny experiment for tests outside this package (the notebook test): the toy dataset, a random tiny CLIP, and
 * an {@code experiment} of zero-shot and a scaled-down SharpZO on one seed, in Spark local mode.
 */
public final class TuningFixture {
    private TuningFixture() {
    }

    /**
     * @param dir an empty folder; the runs go to {@code dir/runs}
     * @param runId the experiment's run id
     * @return the experiment's CLI run (exit code and output)
     * @throws Exception if the data or the model cannot be written
     */
    public static CliRun experiment(Path dir, String runId) throws Exception {
        Path conf = dir.resolve("toy.conf");
        Files.writeString(conf, ToyData.write(dir.resolve("toy"), 12, 5));
        Path model = TinyModels.random(dir.resolve("tiny"), 16, 11);
        // SharpZO as TuneJobTest scales it down: stage 2 after 2 iterations, so the change point is on the curve.
        return CliRun.of("experiment", "--conf", conf.toString(), "--model", model.toString(),
                "output.root=" + dir.resolve("runs"), "run-id=" + runId, "experiment.tasks=[toy]",
                "experiment.methods=[zeroshot, sharpzo]", "experiment.seeds=[1]", "experiment.budget=120",
                "spark.master=local[2]", "tune.sharpzo.subspace-dim=16", "tune.sharpzo.population=6",
                "tune.sharpzo.change-point=2", "tune.sharpzo.mask-every=4", "tune.sharpzo.mu-cge-stage2=1e-3",
                "tune.sharpzo.learning-rate=0.05", "tune.eval-every=6", "tune.group-size=5",
                "features.shots=4", "tune.shots=4", "splits.shots=4", "model.id=tiny");
    }
}
