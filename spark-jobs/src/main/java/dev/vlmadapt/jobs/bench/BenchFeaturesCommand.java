package dev.vlmadapt.jobs.bench;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import picocli.CommandLine.Command;

/** {@code vlmadapt bench-features}. */
@Command(name = "bench-features", description = "Feature extraction through Spark local mode vs a direct "
        + "loop in one JVM (bench-results/features.json).")
public final class BenchFeaturesCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"bench", "features.batch-size", "pretrain-tiny.architecture", "device", "threads",
            "data", "output", "spark"};
    }

    @Override
    protected Job job() {
        return new BenchFeaturesJob();
    }
}
