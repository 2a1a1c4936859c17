package dev.vlmadapt.jobs.cli;

import com.typesafe.config.ConfigRenderOptions;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.bench.BenchRuntimeJob;
import dev.vlmadapt.jobs.pretrain.PretrainTinyJob;
import dev.vlmadapt.jobs.zeroshot.ZeroShotJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vlmadapt <job> [--conf FILE] [key=value ...]}: the entry point of every job, locally and (later) under
 * spark-submit.
 */
@Command(name = "vlmadapt", mixinStandardHelpOptions = true, version = "vlmadapt 0.1.0",
        description = "Adapt, select and robustly fine-tune CLIP models.",
        subcommands = {Main.Ingest.class, Main.Splits.class, Main.Features.class, Main.Tune.class, Main.Experiment.class, Main.ZeroShot.class, Main.PretrainTiny.class,
            Main.BenchRuntime.class, Main.BenchFeatures.class, Main.BenchTuning.class, Main.BenchPeer.class,
            Main.Datasets.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs a command without exiting the JVM (for tests).
     *
     * @param args command line
     * @return the exit code: 0 success, 1 the job failed, 2 bad usage or configuration
     */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // Each job's --help ends with its configuration keys and their defaults, read from reference.conf.
        cli.getSubcommands().values().forEach(sub -> {
            if (sub.getCommand() instanceof JobCommand job) {
                sub.getCommandSpec().usageMessage().footer(keysHelp(job.helpSections()));
            }
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            Throwable task = taskFailure(e);
            cmd.getErr().println("error: " + (task != null ? task.getMessage() + "\n(in a Spark task: "
                    + e.getMessage().lines().findFirst().orElse("") + ")" : e.getMessage()));
            if (String.valueOf(e.getMessage()).contains("Status Code: 403")) {
                cmd.getErr().println("(access denied by the object store: check vlmadapt.s3.access-key and "
                        + "secret-key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
            }
            if (Boolean.getBoolean("vlmadapt.stacktrace")) {
                e.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(run with -Dvlmadapt.stacktrace=true for the stack trace)");
            }
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * @param e a job's failure
     * @return for a Spark job aborted by a failing task, the task's own exception (whose message names the bad
     *     record), else null
     */
    static Throwable taskFailure(Throwable e) {
        if (!(e instanceof org.apache.spark.SparkException)) {
            return null;
        }
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (!(c instanceof org.apache.spark.SparkException) && c.getMessage() != null) {
                return c;
            }
        }
        return null;
    }

    /** Options every job takes. */
    abstract static class JobCommand implements Callable<Integer> {
        @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file layered over the defaults")
        Path conf;

        @Parameters(paramLabel = "key=value", description = "configuration overrides, e.g. seed=2 "
                + "(the vlmadapt. prefix may be omitted)")
        List<String> overrides = new ArrayList<>();

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help, with the job's keys")
        boolean help;

        abstract Job job();

        /** @return the config sections whose keys the job reads, for its help */
        abstract String[] helpSections();

        /** @return options that set keys, e.g. {@code --model} → {@code model.dir} */
        Map<String, String> optionKeys() {
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
    }

    private static Map<String, String> keys(Object... pairs) {
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

    @Command(name = "ingest", description = "Write a dataset's images into the Parquet image table.")
    static final class Ingest extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"ingest", "tables", "data", "output", "run-id", "spark", "s3"};
        }

        @Option(names = "--dataset", paramLabel = "NAME", description = "dataset (sets ingest.dataset)")
        String dataset;

        @Override
        Job job() {
            return new dev.vlmadapt.jobs.ingest.IngestJob();
        }

        @Override
        Map<String, String> optionKeys() {
            return keys("ingest.dataset", dataset);
        }
    }

    @Command(name = "features", description = "Image features of a dataset's few-shot splits, computed on the "
            + "executors, into the Parquet feature table.")
    static final class Features extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"features", "model", "device", "seed", "tables", "output", "run-id", "spark", "s3"};
        }

        @Option(names = "--dataset", paramLabel = "NAME", description = "dataset (sets features.dataset)")
        String dataset;

        @Option(names = "--model", paramLabel = "DIR", description = "model directory, local or s3a:// (sets model.dir)")
        String model;

        @Override
        Job job() {
            return new dev.vlmadapt.jobs.features.FeaturesJob();
        }

        @Override
        Map<String, String> optionKeys() {
            return keys("features.dataset", dataset, "model.dir", model);
        }
    }

    @Command(name = "tune", description = "Prompt tuning on cached features: SharpZO, BBT, ZIP, BlackVIP "
            + "(forward-only, queries on the executors; BlackVIP prompts the images) and CoOp (gradients).")
    static final class Tune extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"tune", "model", "seed", "device", "tables", "output", "run-id", "spark", "s3"};
        }

        @Option(names = "--method", paramLabel = "NAME", description = "sharpzo, bbt, zip, blackvip, coop or zeroshot (sets tune.method)")
        String method;

        @Option(names = "--dataset", paramLabel = "NAME", description = "dataset (sets tune.dataset)")
        String dataset;

        @Option(names = "--model", paramLabel = "DIR", description = "model directory, local or s3a:// (sets model.dir)")
        String model;

        @Override
        Job job() {
            return new dev.vlmadapt.jobs.tune.TuneJob();
        }

        @Override
        Map<String, String> optionKeys() {
            return keys("tune.method", method, "tune.dataset", dataset, "model.dir", model);
        }
    }

    @Command(name = "experiment", description = "The tuning benchmark: methods × tasks × seeds at equal query "
            + "budgets; results.parquet and a markdown table.")
    static final class Experiment extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"experiment", "tune", "model", "device", "tables", "output", "run-id", "spark", "s3"};
        }

        @Option(names = "--model", paramLabel = "DIR", description = "model directory, local or s3a:// (sets model.dir)")
        String model;

        @Override
        Job job() {
            return new dev.vlmadapt.jobs.experiment.ExperimentJob();
        }

        @Override
        Map<String, String> optionKeys() {
            return keys("model.dir", model);
        }
    }

    @Command(name = "splits", description = "Few-shot train/val/test splits (CoOp protocol) of an ingested dataset.")
    static final class Splits extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"splits", "tables", "output", "run-id", "spark", "s3"};
        }

        @Option(names = "--dataset", paramLabel = "NAME", description = "dataset (sets splits.dataset)")
        String dataset;

        @Override
        Job job() {
            return new dev.vlmadapt.jobs.splits.SplitsJob();
        }

        @Override
        Map<String, String> optionKeys() {
            return keys("splits.dataset", dataset);
        }
    }

    @Command(name = "zero-shot", description = "Zero-shot top-1/top-5 of a model on a dataset split.")
    static final class ZeroShot extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"model", "zero-shot", "device", "output", "run-id", "seed", "threads"};
        }

        @Option(names = "--model", paramLabel = "DIR", description = "model directory (sets model.dir)")
        Path model;

        @Option(names = "--dataset", paramLabel = "NAME", description = "dataset (sets zero-shot.dataset)")
        String dataset;

        @Override
        Job job() {
            return new ZeroShotJob();
        }

        @Override
        Map<String, String> optionKeys() {
            return keys("model.dir", model, "zero-shot.dataset", dataset);
        }
    }

    @Command(name = "pretrain-tiny", description = "Train the tiny CLIP from scratch on real data.")
    static final class PretrainTiny extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"pretrain-tiny", "device", "output", "run-id", "seed", "threads"};
        }

        @Option(names = "--output", paramLabel = "DIR", description = "model directory to write "
                + "(sets pretrain-tiny.output)")
        Path output;

        @Override
        Job job() {
            return new PretrainTinyJob();
        }

        @Override
        Map<String, String> optionKeys() {
            return keys("pretrain-tiny.output", output);
        }
    }

    @Command(name = "bench-features", description = "Feature extraction through Spark local mode vs a direct "
            + "loop in one JVM (bench-results/features.json).")
    static final class BenchFeatures extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"bench", "features.batch-size", "pretrain-tiny.architecture", "device", "threads",
                "data", "output", "spark"};
        }

        @Override
        Job job() {
            return new dev.vlmadapt.jobs.bench.BenchFeaturesJob();
        }
    }

    @Command(name = "bench-tuning", description = "Spark overhead on SharpZO generations, local[2] vs local[1], "
            + "cached-feature vs re-encoding queries (bench-results/tuning.json).")
    static final class BenchTuning extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"bench", "pretrain-tiny.architecture", "threads", "output", "spark"};
        }

        @Override
        Job job() {
            return new dev.vlmadapt.jobs.bench.BenchTuningJob();
        }
    }

    @Command(name = "bench-peer", description = "One SharpZO query against the peer's query path (CoOp-style "
            + "prompts, full 77-token pass in PyTorch) on the same model and data (bench-results/peer.json).")
    static final class BenchPeer extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"bench", "threads", "output"};
        }

        @Override
        Job job() {
            return new dev.vlmadapt.jobs.bench.BenchPeerJob();
        }
    }

    @Command(name = "bench-runtime", description = "GEMM rate, text-tower FLOP rate and EOT-crop speedup.")
    static final class BenchRuntime extends JobCommand {
        @Override
        String[] helpSections() {
            return new String[] {"bench", "device", "output", "threads"};
        }

        @Override
        Job job() {
            return new BenchRuntimeJob();
        }
    }

    @Command(name = "datasets", description = "List the configured datasets.")
    static final class Datasets implements Callable<Integer> {
        @Override
        public Integer call() {
            dev.vlmadapt.jobs.DatasetCatalog catalog = new dev.vlmadapt.jobs.DatasetCatalog(
                    JobConfig.load(null, Map.of()));
            for (String name : catalog.names()) {
                System.out.println(name + ": " + catalog.info(name).description());
            }
            return 0;
        }
    }

}
