package dev.vlmadapt.jobs.evaluate;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code vlmadapt evaluate}. */
@Command(name = "evaluate", description = "Zero-shot evaluation of models × datasets into the ranking table "
        + "(resumable; one Spark task per pair).")
public final class EvaluateCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"evaluate", "tables", "device", "threads", "output", "run-id", "spark", "s3"};
    }

    @Override
    protected Job job() {
        return new EvaluateJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return Map.of();
    }
}
