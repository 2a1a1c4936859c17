package dev.vlmadapt.jobs.hub;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code vlmadapt hub-build}. */
@Command(name = "hub-build", description = "Train the hub's missing models (hub.models) as one Spark job, one model "
        + "per task, each with a model card.")
public final class HubBuildCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"hub", "pretrain-tiny", "device", "threads", "output", "run-id", "spark", "s3"};
    }

    @Override
    protected Job job() {
        return new HubBuildJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return Map.of();
    }
}
