package dev.vlmadapt.jobs.hub;

import com.typesafe.config.Config;
import dev.vlmadapt.jobs.pretrain.PretrainTinyJob;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.image.StyleAugmentation;
import dev.vlmadapt.runtime.train.PretrainSpec;
import java.io.Serializable;
import java.util.List;

/**
 * How one hub model is trained: its {@code pretrain-tiny} settings, those of the hub entry over the defaults.
 *
 * @param name the model's name (its folder under the hub root)
 * @param architecture the architecture (vocabulary size filled in by training)
 * @param spec the training hyper-parameters
 * @param datasets the catalog datasets whose train splits it learns from
 * @param maxImagesPerDataset 0 = all
 */
record HubRecipe(String name, ClipConfig architecture, PretrainSpec spec, List<String> datasets,
        int maxImagesPerDataset) implements Serializable {

    /**
     * @param name the model's name
     * @param settings its pretrain-tiny section (entry over defaults)
     * @param seed the seed, if the entry sets none
     * @return the recipe
     */
    static HubRecipe of(String name, Config settings, long seed) {
        String where = "vlmadapt.hub.models." + name + ".pretrain-tiny";
        try {
            StyleAugmentation aug = settings.getBoolean("augmentation.enabled") ? new StyleAugmentation(
                    settings.getDouble("augmentation.min-scale"), settings.getDouble("augmentation.lines"),
                    settings.getDouble("augmentation.grayscale"), settings.getDouble("augmentation.jitter"), 0xFFFFFF)
                    : null;
            PretrainSpec spec = new PretrainSpec(settings.getInt("epochs"), settings.getInt("batch-size"),
                    (float) settings.getDouble("learning-rate"), (float) settings.getDouble("weight-decay"),
                    settings.getInt("warmup-steps"), settings.hasPath("seed") ? settings.getLong("seed") : seed,
                    settings.getDouble("grad-clip-norm"), aug);
            List<String> datasets = settings.getStringList("datasets");
            if (datasets.isEmpty()) {
                throw new IllegalArgumentException("datasets is empty");
            }
            return new HubRecipe(name, PretrainTinyJob.architecture(settings.getConfig("architecture"), 1), spec,
                    datasets, settings.getInt("max-images-per-dataset"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Forward GFLOPs of the whole training, as a cost to schedule by: images seen × (an image + a caption at the
     * context length). The backward pass is about twice the forward for every model alike, so it drops out.
     *
     * @param imagesPerDataset each dataset's training images
     * @return the estimate
     */
    double trainingGflops(java.util.Map<String, Integer> imagesPerDataset) {
        long images = 0;
        for (String d : datasets) {
            int n = imagesPerDataset.getOrDefault(d, 0);
            images += maxImagesPerDataset > 0 ? Math.min(n, maxImagesPerDataset) : n;
        }
        double perImage = dev.vlmadapt.runtime.clip.ClipFlops.image(architecture)
                + dev.vlmadapt.runtime.clip.ClipFlops.text(architecture, architecture.contextLength());
        return images * (double) spec.epochs() * perImage / 1e9;
    }

    /**
     * Longest first: with fewer task slots than models, starting the longest trainings first keeps the slots
     * busy to the end (the classic LPT rule) rather than leaving one long training alone at the end.
     *
     * @param recipes the models to train
     * @param imagesPerDataset each dataset's training images
     * @return the recipes, the most costly first (ties by name)
     */
    static List<HubRecipe> longestFirst(List<HubRecipe> recipes, java.util.Map<String, Integer> imagesPerDataset) {
        return recipes.stream().sorted(java.util.Comparator.comparingDouble(
                (HubRecipe r) -> -r.trainingGflops(imagesPerDataset)).thenComparing(HubRecipe::name)).toList();
    }
}
