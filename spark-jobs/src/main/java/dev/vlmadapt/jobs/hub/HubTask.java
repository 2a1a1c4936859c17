package dev.vlmadapt.jobs.hub;

import dev.vlmadapt.jobs.TrainingProgress;
import dev.vlmadapt.jobs.executor.ExecutorReport;
import dev.vlmadapt.jobs.executor.ModelCache;
import dev.vlmadapt.jobs.executor.TaskDevice;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipFlops;
import dev.vlmadapt.runtime.io.StagedDirectory;
import dev.vlmadapt.runtime.train.CaptionedImages;
import dev.vlmadapt.runtime.train.Pretraining;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;

/**
 * One hub model's training as a Spark task: train in a local scratch folder, write the model card, then move the
 * folder to the hub root under a staging name and rename it into place, so a model appears complete or not at all.
 *
 * @param recipe how to train it
 * @param data its datasets' training images
 * @param root the hub root (local or s3a://)
 * @param deviceSetting {@code vlmadapt.device}
 * @param runId the build's run id (names the staging folder)
 * @param hadoop file system settings
 */
record HubTask(HubRecipe recipe, List<Broadcast<TrainingData>> data, String root, String deviceSetting, String runId,
        Map<String, String> hadoop) implements Serializable {

    /**
     * @param report where the task says which executor JVM trained the model (an accumulator must come with the
     *     task's function, not its data, for Spark to send its updates back)
     * @return the model card, as JSON
     */
    String train(ExecutorReport report) throws Exception {
        ModelCache.applyThreads();
        java.nio.file.Path scratch = Files.createTempDirectory("vlmadapt-hub-" + recipe.name() + "-");
        try {
            List<CaptionedImages> captioned = new ArrayList<>();
            Map<String, Object> mix = new LinkedHashMap<>();
            for (Broadcast<TrainingData> b : data) {
                CaptionedImages c = b.value().decode(recipe.maxImagesPerDataset());
                captioned.add(c);
                mix.put(c.name(), c.images().size());
            }
            java.nio.file.Path model = scratch.resolve("model");
            long start = System.nanoTime();
            String tag = "[hub-build " + recipe.name() + "]";
            Pretraining.Result r = Pretraining.run(recipe.architecture(), recipe.spec(), captioned,
                    TaskDevice.current(deviceSetting), Files.createDirectories(scratch.resolve("work")), model,
                    new TrainingProgress(tag, recipe.spec().epochs()));
            Map<String, Object> card = card(r, mix);
            Files.writeString(model.resolve("card.json"), HubBuildJob.cardJson(card), StandardCharsets.UTF_8);
            Path target = new Path(root, recipe.name());
            Path staging = new Path(root, "." + recipe.name() + ".staging-" + runId);
            FileSystem fs = HubBuildJob.fs(target, hadoop);
            fs.delete(staging, true);
            fs.copyFromLocalFile(false, true, new Path(model.toUri()), staging);
            if (fs.exists(target)) {
                // An incomplete earlier attempt (no card.json, or it would have been kept): replaced.
                fs.delete(target, true);
            }
            if (!fs.rename(staging, target)) {
                throw new java.io.IOException("cannot move " + staging + " to " + target);
            }
            report.add(ExecutorReport.Use.ofThisTask());
            return HubBuildJob.cardJson(card);
        } finally {
            StagedDirectory.deleteRecursively(scratch);
        }
    }

    private Map<String, Object> card(Pretraining.Result r, Map<String, Object> mix) {
        ClipConfig a = r.architecture();
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("name", recipe.name());
        card.put("data_mix", mix);
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("image_size", a.imageSize());
        arch.put("patch_size", a.patchSize());
        arch.put("vision_width", a.vision().width());
        arch.put("vision_layers", a.vision().layers());
        arch.put("text_width", a.text().width());
        arch.put("text_layers", a.text().layers());
        arch.put("projection_dim", a.projectionDim());
        arch.put("vocab_size", a.vocabSize());
        card.put("architecture", arch);
        card.put("parameters", r.parameters());
        card.put("gflops_image", ClipFlops.image(a) / 1e9);
        card.put("gflops_text", ClipFlops.text(a, a.contextLength()) / 1e9);
        card.put("epochs", recipe.spec().epochs());
        card.put("batch_size", recipe.spec().batchSize());
        card.put("learning_rate", recipe.spec().learningRate());
        card.put("seed", recipe.spec().seed());
        card.put("augmentation", recipe.spec().augmentation() != null);
        card.put("train_seconds", Math.round(r.trainSeconds() * 10) / 10.0);
        card.put("recomputed_steps", r.recomputedSteps());
        card.put("learning_curve", r.epochLosses());
        card.put("final_loss", r.epochLosses().get(r.epochLosses().size() - 1));
        card.put("built_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return card;
    }
}
