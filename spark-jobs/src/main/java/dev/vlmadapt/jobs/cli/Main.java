package dev.vlmadapt.jobs.cli;

import dev.vlmadapt.jobs.bench.BenchEvaluateCommand;
import dev.vlmadapt.jobs.bench.BenchFeaturesCommand;
import dev.vlmadapt.jobs.bench.BenchPeerCommand;
import dev.vlmadapt.jobs.bench.BenchSelectCommand;
import dev.vlmadapt.jobs.bench.BenchRuntimeCommand;
import dev.vlmadapt.jobs.bench.BenchTuningCommand;
import dev.vlmadapt.jobs.concepts.ConceptsCommand;
import dev.vlmadapt.jobs.evaluate.EvaluateCommand;
import dev.vlmadapt.jobs.experiment.ExperimentCommand;
import dev.vlmadapt.jobs.features.FeaturesCommand;
import dev.vlmadapt.jobs.hub.HubBuildCommand;
import dev.vlmadapt.jobs.hub.HubImportCommand;
import dev.vlmadapt.jobs.hub.RankCommand;
import dev.vlmadapt.jobs.select.LabelCommand;
import dev.vlmadapt.jobs.select.ReuseCommand;
import dev.vlmadapt.jobs.select.SelectBenchCommand;
import dev.vlmadapt.jobs.select.SelectCommand;
import dev.vlmadapt.jobs.select.SemanticGraphCommand;
import dev.vlmadapt.jobs.select.SelectLooCommand;
import dev.vlmadapt.jobs.ingest.IngestCommand;
import dev.vlmadapt.jobs.pretrain.PretrainTinyCommand;
import dev.vlmadapt.jobs.splits.SplitsCommand;
import dev.vlmadapt.jobs.tune.TuneCommand;
import dev.vlmadapt.jobs.zeroshot.ZeroShotCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vlmadapt <job> [--conf FILE] [key=value ...]}: the entry point of every job, locally and under
 * spark-submit. Each job's command lives in the job's package ({@link JobCommand}); this class only lists them and
 * turns failures into exit codes and messages.
 */
@Command(name = "vlmadapt", mixinStandardHelpOptions = true, version = "vlmadapt 0.1.0",
        description = "Adapt, select and robustly fine-tune CLIP models.",
        subcommands = {
            IngestCommand.class,
            ConceptsCommand.class,
            SplitsCommand.class,
            FeaturesCommand.class,
            TuneCommand.class,
            ExperimentCommand.class,
            ZeroShotCommand.class,
            PretrainTinyCommand.class,
            HubBuildCommand.class,
            EvaluateCommand.class,
            HubImportCommand.class,
            RankCommand.class,
            SemanticGraphCommand.class,
            LabelCommand.class,
            SelectCommand.class,
            ReuseCommand.class,
            SelectLooCommand.class,
            SelectBenchCommand.class,
            BenchRuntimeCommand.class,
            BenchFeaturesCommand.class,
            BenchEvaluateCommand.class,
            BenchTuningCommand.class,
            BenchPeerCommand.class,
            BenchSelectCommand.class,
            DatasetsCommand.class})
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
                // Every job reports progress, so its interval is listed with each job's own keys.
                String[] sections = java.util.stream.Stream.concat(java.util.Arrays.stream(job.helpSections()),
                        java.util.stream.Stream.of("progress-seconds")).distinct().toArray(String[]::new);
                sub.getCommandSpec().usageMessage().footer(JobCommand.keysHelp(sections));
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
}
