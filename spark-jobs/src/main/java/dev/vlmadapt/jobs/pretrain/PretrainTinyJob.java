package dev.vlmadapt.jobs.pretrain;

import ai.djl.Device;
import com.typesafe.config.Config;
import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.Devices;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.Progress;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.TrainingProgress;
import dev.vlmadapt.jobs.zeroshot.ResultTable;
import dev.vlmadapt.jobs.zeroshot.ZeroShotJob;
import dev.vlmadapt.runtime.clip.Activation;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.clip.TowerConfig;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.train.CaptionedImages;
import dev.vlmadapt.runtime.train.PretrainSpec;
import dev.vlmadapt.runtime.train.Pretraining;
import dev.vlmadapt.runtime.zeroshot.ZeroShotEvaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the project's tiny CLIP from scratch on the training splits of real datasets (captions from class names
 * and templates), writes it in the Hugging Face layout with a generated {@code tokenizer.json}, reloads it from
 * disk, and reports zero-shot accuracy on the held-out test splits.
 */
public final class PretrainTinyJob implements Job {
    @Override
    public String name() {
        return "pretrain-tiny";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        Path output = Path.of(config.string("pretrain-tiny.output"));
        if (Files.exists(output)) {
            throw new IllegalArgumentException("vlmadapt.pretrain-tiny.output " + output + " already exists; "
                    + "remove it or choose another directory");
        }
        ClipConfig partial = architecture(config.section("pretrain-tiny.architecture"), 1);
        PretrainSpec spec = new PretrainSpec(config.integer("pretrain-tiny.epochs", 1),
                config.integer("pretrain-tiny.batch-size", 2),
                (float) config.number("pretrain-tiny.learning-rate", 0),
                (float) config.number("pretrain-tiny.weight-decay", -1e-30),
                config.integer("pretrain-tiny.warmup-steps", 0), config.integer("seed", 0),
                config.nonNegative("pretrain-tiny.grad-clip-norm"), augmentation(config));
        int cap = config.integer("pretrain-tiny.max-images-per-dataset", 0);
        DatasetCatalog catalog = new DatasetCatalog(config);
        Device device = Devices.resolve(config.string("device"));

        try (RunDirectory run = RunDirectory.create(config, name())) {
            List<CaptionedImages> data = new ArrayList<>();
            for (String name : config.strings("pretrain-tiny.datasets")) {
                DatasetCatalog.DatasetInfo info = catalog.info(name);
                LabeledImages train = catalog.load(name, "train");
                if (cap > 0 && cap < train.size()) {
                    train = train.slice(0, cap);
                }
                System.err.printf(Locale.ROOT, "[pretrain-tiny] %s: %d training images, %d classes, %d templates%n",
                        name, train.size(), info.classes().size(), info.templates().size());
                data.add(new CaptionedImages(name, train, info.classes(), info.templates(),
                        catalog.extraCaptions(name)));
            }
            System.err.printf(Locale.ROOT, "[pretrain-tiny] %s on %s%n", partial, device);
            long start = System.nanoTime();
            Pretraining.Result trained = Pretraining.run(partial, spec, data, device, run.work(), output,
                    new TrainingProgress("[pretrain-tiny]", spec.epochs()));
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("parameters", trained.parameters());
            // Steps whose loss or gradient was non-finite once and finite when recomputed (a transient fault).
            results.put("recomputed_steps", trained.recomputedSteps());
            results.put("model", output.toString());
            results.put("train_seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
            results.put("images_per_second", Math.round(trained.imagesPerSecond()));

            // Reload from disk, so the reported accuracy is that of the written checkpoint.
            List<List<String>> rows = new ArrayList<>();
            Map<String, Object> accuracy = new LinkedHashMap<>();
            try (ClipModel model = ClipModel.load(output, device)) {
                for (String name : config.strings("pretrain-tiny.evaluate")) {
                    DatasetCatalog.DatasetInfo info = catalog.info(name);
                    LabeledImages test = catalog.load(name, "test");
                    Progress p = new Progress("zero-shot " + name + "/test", test.size(), "images");
                    ZeroShotEvaluator.Result r = ZeroShotJob.evaluate(model, output.toString(), name + "/test",
                            test, info, 512, p::update);
                    accuracy.put(name, Map.of("top1", r.top1(), "top5", r.top5(), "n", r.n()));
                    rows.add(List.of(name, "test", Integer.toString(r.n()), pct(r.top1()), pct(r.top5())));
                }
            }
            results.put("zero_shot", accuracy);
            Map<String, Object> summary = run.commit(config, results);
            System.out.println("tiny CLIP written to " + output);
            System.out.println(ResultTable.render(List.of("dataset", "split", "n", "top1", "top5"), rows));
            return summary;
        }
    }

    /** The architecture section; the vocabulary size is known only after the tokenizer is built. */
    public static ClipConfig architecture(Config a, int vocabSize) {
        Activation act = Activation.fromConfigName(a.getString("activation"));
        int tw = a.getInt("text-width");
        int vw = a.getInt("vision-width");
        return ClipConfig.builder()
                .setText(new TowerConfig(tw, a.getInt("text-layers"), a.getInt("text-heads"), 4 * tw, act, 1e-5f),
                        vocabSize)
                .optContextLength(a.getInt("context-length"))
                .setVision(new TowerConfig(vw, a.getInt("vision-layers"), a.getInt("vision-heads"), 4 * vw, act,
                        1e-5f), a.getInt("image-size"), a.getInt("patch-size"))
                .setProjectionDim(a.getInt("projection-dim"))
                .build();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    /** {@code pretrain-tiny.augmentation}, or null when it is off. */
    static dev.vlmadapt.runtime.image.StyleAugmentation augmentation(JobConfig config) {
        String a = "pretrain-tiny.augmentation.";
        if (!config.bool(a + "enabled")) {
            return null;
        }
        try {
            return new dev.vlmadapt.runtime.image.StyleAugmentation(config.number(a + "min-scale", 0),
                    config.nonNegative(a + "lines"), config.nonNegative(a + "grayscale"), config.nonNegative(a + "jitter"),
                    0xFFFFFF);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("vlmadapt." + a + "*: " + e.getMessage(), e);
        }
    }
}
