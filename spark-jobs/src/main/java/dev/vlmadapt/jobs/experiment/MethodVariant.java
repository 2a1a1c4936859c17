package dev.vlmadapt.jobs.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.tune.TuneJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A column of the experiment: a tuning method as it is, or a named variant of one with its own settings
 * ({@code experiment.variants.<name> { method = sharpzo, settings { "tune.sharpzo.learning-rate" = 1e-3 } }}),
 * so that a study can compare settings of one method side by side.
 *
 * @param name the column's name (the method's, or the variant's)
 * @param method the tuning method
 * @param settings configuration overrides of the variant's tune runs (keys below {@code vlmadapt.})
 */
record MethodVariant(String name, String method, Map<String, String> settings) {

    /**
     * @param config the experiment's configuration
     * @return the variants named by {@code experiment.methods}, in order
     * @throws IllegalArgumentException naming the entry that is neither a method nor a declared variant
     */
    static List<MethodVariant> resolve(JobConfig config) {
        Config variants = config.section("experiment.variants");
        return config.strings("experiment.methods").stream().map(name -> {
            if (TuneJob.METHODS.contains(name)) {
                return new MethodVariant(name, name, Map.of());
            }
            if (!variants.hasPath(quoted(name))) {
                throw new IllegalArgumentException("vlmadapt.experiment.methods contains '" + name + "'; expected any"
                        + " of " + TuneJob.METHODS + " or a variant declared in vlmadapt.experiment.variants "
                        + variants.root().keySet());
            }
            Config v = variants.getConfig(quoted(name));
            String where = "vlmadapt.experiment.variants." + name;
            if (!v.hasPath("method") || !TuneJob.METHODS.contains(v.getString("method"))) {
                throw new IllegalArgumentException(where + ".method must be one of " + TuneJob.METHODS);
            }
            Map<String, String> settings = new LinkedHashMap<>();
            if (v.hasPath("settings")) {
                for (Map.Entry<String, ConfigValue> e : v.getConfig("settings").entrySet()) {
                    String key = e.getKey().replace("\"", "");
                    if (!key.startsWith("tune.")) {
                        throw new IllegalArgumentException(where + ".settings may only set tune.* keys, not " + key);
                    }
                    settings.put(key, String.valueOf(e.getValue().unwrapped()));
                }
            }
            return new MethodVariant(name, v.getString("method"), settings);
        }).toList();
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
