package dev.vlmadapt.jobs.zeroshot;

import dev.vlmadapt.jobs.BrokenModelException;
import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.Devices;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.Progress;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.zeroshot.TopKAccuracy;
import dev.vlmadapt.runtime.zeroshot.ZeroShotEvaluator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/** Zero-shot top-1/top-5 of one model on one dataset split, with the dataset's template ensemble. */
public final class ZeroShotJob implements Job {
    @Override
    public String name() {
        return "zero-shot";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        String dataset = config.string("zero-shot.dataset");
        String split = config.string("zero-shot.split");
        int batch = config.integer("zero-shot.batch-size", 1);
        int limit = config.integer("zero-shot.limit", 0);
        Path modelDir = Path.of(config.string("model.dir"));
        DatasetCatalog catalog = new DatasetCatalog(config);
        DatasetCatalog.DatasetInfo info = catalog.info(dataset);
        try (RunDirectory run = RunDirectory.create(config, name());
                ClipModel model = ClipModel.load(modelDir, Devices.resolve(config.string("device")))) {
            LabeledImages data = catalog.load(dataset, split);
            if (limit > 0 && limit < data.size()) {
                data = data.slice(0, limit);
            }
            Progress progress = new Progress("zero-shot " + dataset + "/" + split, data.size(), "images");
            ZeroShotEvaluator.Result r = evaluate(model, modelDir.toString(), dataset + "/" + split, data, info,
                    batch, progress::update);
            progress.done();
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("model", modelDir.toString());
            results.put("dataset", dataset);
            results.put("split", split);
            results.put("templates", info.templates().size());
            results.put("n", r.n());
            results.put("top1", r.top1());
            results.put("top5", r.top5());
            Map<String, Object> summary = run.commit(config, results);
            System.out.println(ResultTable.render(java.util.List.of("model", "dataset", "split", "n", "top1", "top5"),
                    java.util.List.of(java.util.List.of(modelDir.getFileName().toString(), dataset, split,
                            Integer.toString(r.n()), pct(r.top1()), pct(r.top5())))));
            System.out.println("summary: " + run.path() + "/summary.json");
            return summary;
        }
    }

    /**
     * Zero-shot accuracy of a model, refusing a model whose scores are not finite.
     *
     * @param model the CLIP
     * @param modelName how errors name it
     * @param datasetSplit how errors name the data, e.g. {@code fashion-mnist/test}
     * @param data images and labels
     * @param info the dataset's classes and templates
     * @param batch images per image-tower pass
     * @param progress told the number of images done
     * @return accuracies
     * @throws BrokenModelException if the model produced a NaN or infinite score
     */
    public static ZeroShotEvaluator.Result evaluate(ClipModel model, String modelName, String datasetSplit,
            LabeledImages data, DatasetCatalog.DatasetInfo info, int batch, IntConsumer progress) {
        try {
            return ZeroShotEvaluator.evaluate(model, data, info.classes(), info.templates(), batch, progress);
        } catch (TopKAccuracy.NonFiniteScoresException e) {
            throw new BrokenModelException(modelName, datasetSplit, e.getMessage(), e);
        }
    }

    /**
     * {@link #evaluate} from image features computed before (only the text tower runs).
     *
     * @param model the CLIP that produced the features
     * @param modelName its name, for messages
     * @param datasetSplit e.g. {@code toy/test}, for messages
     * @param features one image feature per image
     * @param labels class per image
     * @param info the dataset's classes and templates
     * @param batch features per scoring batch
     * @return accuracies
     * @throws BrokenModelException if the model scores NaN or infinity
     */
    public static ZeroShotEvaluator.Result evaluateFeatures(ClipModel model, String modelName, String datasetSplit,
            float[][] features, int[] labels, DatasetCatalog.DatasetInfo info, int batch) {
        try {
            return ZeroShotEvaluator.evaluateFeatures(model, features, labels, info.classes(), info.templates(), batch);
        } catch (TopKAccuracy.NonFiniteScoresException e) {
            throw new BrokenModelException(modelName, datasetSplit, e.getMessage(), e);
        }
    }

    static String pct(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", 100 * v);
    }
}
