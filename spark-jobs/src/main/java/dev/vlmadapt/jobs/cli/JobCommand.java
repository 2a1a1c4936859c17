package dev.vlmadapt.jobs.cli;

import com.typesafe.config.ConfigRenderOptions;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A job's command line: {@code --conf FILE}, {@code key=value} overrides and the job's own options, which set
 * configuration keys. Each job's command lives beside the job; {@link Main} lists them.
 */
public abstract class JobCommand implements Callable<Integer> {
    @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file layered over the defaults")
    private Path conf;

    @Parameters(paramLabel = "key=value", description = "configuration overrides, e.g. seed=2 "
            + "(the vlmadapt. prefix may be omitted)")
    private List<String> overrides = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help, with the job's keys")
    private boolean help;

    /** @return the job to run */
    protected abstract Job job();

    /** @return the config sections whose keys the job reads, for its help */
    protected abstract String[] helpSections();

    /** @return options that set keys, e.g. {@code --model} → {@code model.dir} */
    protected Map<String, String> optionKeys() {
        return Map.of();
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + o + "' is not key=value");
            }
            kv.put(o.substring(0, eq), o.substring(eq + 1));
        }
        kv.putAll(optionKeys());
        JobConfig config = JobConfig.load(conf, kv);
        int threads = config.integer("threads", 0);
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        try {
            job().run(config);
        } finally {
            SparkSession.getActiveSession().foreach(s -> {
                s.stop();
                return null;
            });
        }
        return 0;
    }

    /**
     * @param pairs key, value, key, value, ...; a null value (an option not given) sets nothing
     * @return the keys set
     */
    protected static Map<String, String> keys(Object... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                m.put((String) pairs[i], pairs[i + 1].toString());
            }
        }
        return m;
    }

    /** The defaults of the given config sections, one {@code key = value} line each, for a job's help. */
    static String keysHelp(String... sections) {
        JobConfig c = JobConfig.load(null, Map.of());
        StringBuilder sb = new StringBuilder("%nConfiguration keys (below vlmadapt.) and defaults:%n");
        for (String s : sections) {
            com.typesafe.config.ConfigValue v = c.raw().getValue(s);
            Map<String, com.typesafe.config.ConfigValue> entries = new java.util.TreeMap<>();
            if (v instanceof com.typesafe.config.ConfigObject) {
                c.raw().getConfig(s).entrySet().forEach(e -> entries.put(s + "." + e.getKey(), e.getValue()));
            } else {
                entries.put(s, v);
            }
            entries.forEach((k, value) -> {
                String shown = value.render(ConfigRenderOptions.concise());
                // Credentials may come from the environment; help never prints them.
                if ((k.endsWith("access-key") || k.endsWith("secret-key")) && !shown.equals("\"\"")) {
                    shown = "<set>";
                }
                sb.append("  ").append(k).append(" = ").append(shown.replace("%", "%%")).append("%n");
            });
        }
        return sb.toString();
    }

}
