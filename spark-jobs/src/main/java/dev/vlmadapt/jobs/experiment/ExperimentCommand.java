package dev.vlmadapt.jobs.experiment;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt experiment}. */
@Command(name = "experiment", description = "The tuning benchmark: methods × tasks × seeds at equal query "
        + "budgets; results.parquet and a markdown table.")
public final class ExperimentCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"experiment", "tune", "model", "device", "tables", "output", "run-id", "spark", "s3", "plan"};
    }

    @Option(names = "--plan", description = "print the plan (queries per stage, FLOPs, expected wall time from a "
            + "short calibration) instead of running (sets plan.enabled)")
    private boolean plan;

    @Option(names = "--model", paramLabel = "DIR", description = "model directory, local or s3a:// (sets model.dir)")
    private String model;

    @Override
    protected Job job() {
        return new ExperimentJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("model.dir", model, "plan.enabled", plan ? "true" : null);
    }
}
