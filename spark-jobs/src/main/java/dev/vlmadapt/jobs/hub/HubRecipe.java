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
}
