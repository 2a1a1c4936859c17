package dev.vlmadapt.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The configuration of one job run, resolved from the layers (later wins): {@code reference.conf} (which
 * includes {@code datasets.conf}) → {@code --conf FILE} → {@code key=value} arguments. Accessors throw
 * {@link IllegalArgumentException} naming the key and what was expected.
 */
public final class JobConfig {
    /** Root of every key. */
    public static final String ROOT = "vlmadapt";
    private final Config config;

    private JobConfig(Config config) {
        this.config = config;
    }

    /**
     * @param confFile optional user file, may be null
     * @param overrides {@code key=value} pairs; keys may omit the {@code vlmadapt.} prefix
     * @return the resolved config
     */
    public static JobConfig load(Path confFile, Map<String, String> overrides) {
        Config layered = ConfigFactory.empty();
        StringBuilder args = new StringBuilder();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey().startsWith(ROOT + ".") ? e.getKey() : ROOT + "." + e.getKey();
            layered = layered.withValue(key, ConfigFactory.parseString("v = " + quoteIfNeeded(e.getValue()))
                    .getValue("v"));
            args.append(key).append(' ');
        }
        if (confFile != null) {
            if (!Files.isRegularFile(confFile)) {
                throw new IllegalArgumentException("--conf file " + confFile + " does not exist");
            }
            Config file = ConfigFactory.parseFile(confFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            layered = layered.withFallback(file.hasPath(ROOT) ? file : file.atPath(ROOT));
        }
        Config reference = ConfigFactory.parseResources(JobConfig.class.getClassLoader(), "reference.conf");
        Config defaults = reference.resolve();
        rejectUnknownKeys(layered, defaults);
        try {
            Config all = layered.withFallback(reference)
                    .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
            checkTypes(all, defaults, layered);
            return new JobConfig(all.getConfig(ROOT));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("configuration error: " + e.getMessage(), e);
        }
    }

    /**
     * Sections whose keys are open: new datasets, Spark settings passed through as they are, method variants, hub
     * models (whose pretrain-tiny keys are checked when the recipe is read).
     */
    private static final List<String> OPEN_SECTIONS = List.of(ROOT + ".datasets.", ROOT + ".spark.conf.",
            ROOT + ".experiment.variants.", ROOT + ".hub.models.");

    /** Every key the user set must convert to the type of its default (Typesafe's own check lets strings pass). */
    private static void checkTypes(Config all, Config reference, Config user) {
        for (Map.Entry<String, com.typesafe.config.ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (!reference.hasPath(key)) {
                continue;
            }
            com.typesafe.config.ConfigValue dflt = reference.getValue(key);
            try {
                switch (dflt.valueType()) {
                    case NUMBER -> {
                        if (dflt.unwrapped() instanceof Integer || dflt.unwrapped() instanceof Long) {
                            all.getLong(key);
                        } else {
                            all.getDouble(key);
                        }
                    }
                    case BOOLEAN -> all.getBoolean(key);
                    case LIST -> all.getList(key);
                    case OBJECT -> all.getConfig(key);
                    default -> all.getString(key);
                }
            } catch (ConfigException.WrongType | ConfigException.BadValue ex) {
                throw new IllegalArgumentException("configuration key " + key + " = "
                        + all.getValue(key).render(ConfigRenderOptions.concise()) + " has the wrong type; expected "
                        + dflt.valueType().name().toLowerCase(java.util.Locale.ROOT) + " like its default "
                        + dflt.render(ConfigRenderOptions.concise()), ex);
            }
        }
    }

    private static void rejectUnknownKeys(Config user, Config reference) {
        List<String> unknown = user.entrySet().stream().map(Map.Entry::getKey)
                .filter(k -> OPEN_SECTIONS.stream().noneMatch(k::startsWith))
                .filter(k -> !reference.hasPathOrNull(k))
                .sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown configuration key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + "; `bin/vlmadapt <job> --help` lists each job's keys");
        }
    }

    /** Values such as paths with ':' or '/' are taken as strings unless they already parse as HOCON. */
    private static String quoteIfNeeded(String value) {
        try {
            ConfigFactory.parseString("v = " + value).getValue("v");
            return value;
        } catch (ConfigException e) {
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    /** @return the underlying config below {@code vlmadapt} */
    public Config raw() {
        return config;
    }

    /**
     * @param key path below {@code vlmadapt}
     * @return the string
     */
    public String string(String key) {
        return get(key, "a string", () -> config.getString(key));
    }

    /**
     * @param key path below {@code vlmadapt}
     * @return the boolean
     */
    public boolean bool(String key) {
        return get(key, "true or false", () -> config.getBoolean(key));
    }

    /**
     * @param key path below {@code vlmadapt}
     * @param min smallest allowed value
     * @return the integer
     */
    public int integer(String key, int min) {
        int v = get(key, "an integer", () -> config.getInt(key));
        if (v < min) {
            throw new IllegalArgumentException(ROOT + "." + key + " = " + v + " is out of range; expected >= " + min);
        }
        return v;
    }

    /**
     * @param key path below {@code vlmadapt}
     * @param minExclusive the value must be larger
     * @return the number
     */
    public double number(String key, double minExclusive) {
        double v = get(key, "a number", () -> config.getDouble(key));
        if (!(v > minExclusive)) {
            throw new IllegalArgumentException(ROOT + "." + key + " = " + v + " is out of range; expected > "
                    + minExclusive);
        }
        return v;
    }

    /**
     * @param key path below {@code vlmadapt}
     * @return the value, which must be a number ≥ 0
     */
    public double nonNegative(String key) {
        double v = get(key, "a number", () -> config.getDouble(key));
        if (!(v >= 0)) {
            throw new IllegalArgumentException(ROOT + "." + key + " = " + v + " is out of range; expected >= 0");
        }
        return v;
    }

    /**
     * @param key path below {@code vlmadapt}
     * @return the list of strings
     */
    public List<String> strings(String key) {
        return get(key, "a list of strings", () -> config.getStringList(key));
    }

    /**
     * @param key path below {@code vlmadapt}
     * @return the sub-config
     */
    public Config section(String key) {
        return get(key, "an object", () -> config.getConfig(key));
    }

    /**
     * A copy with some keys replaced, for jobs that run other jobs (the experiment). Values are set as given:
     * keys defined by substitution of the replaced ones are not re-derived, so callers set every key they mean.
     *
     * @param overrides keys (without the {@code vlmadapt.} prefix) and values, parsed as in {@code key=value}
     * @return the new config
     * @throws IllegalArgumentException for a key that does not exist
     */
    public JobConfig with(Map<String, String> overrides) {
        Config c = config;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!c.hasPath(e.getKey())) {
                throw new IllegalArgumentException("unknown configuration key " + ROOT + "." + e.getKey());
            }
            c = c.withValue(e.getKey(), ConfigFactory.parseString("v = " + quoteIfNeeded(e.getValue())).getValue("v"));
        }
        return new JobConfig(c);
    }

    /** @return a short hash of the resolved config, for provenance in summaries */
    public String hash() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    config.root().render(ConfigRenderOptions.concise().setJson(true)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T get(String key, String expected, java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (ConfigException.Missing e) {
            throw new IllegalArgumentException("configuration key " + ROOT + "." + key + " is missing; expected "
                    + expected, e);
        } catch (ConfigException.WrongType e) {
            throw new IllegalArgumentException("configuration key " + ROOT + "." + key + " has the wrong type; "
                    + "expected " + expected + " (" + e.getMessage() + ")", e);
        }
    }
}
