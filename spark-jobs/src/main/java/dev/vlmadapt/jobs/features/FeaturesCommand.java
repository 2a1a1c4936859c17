package dev.vlmadapt.jobs.features;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt features}. */
@Command(name = "features", description = "Image features of a dataset's few-shot splits, computed on the "
        + "executors, into the Parquet feature table.")
public final class FeaturesCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"features", "model", "device", "seed", "tables", "output", "run-id", "spark", "s3"};
    }

    @Option(names = "--dataset", paramLabel = "NAME", description = "dataset (sets features.dataset)")
    private String dataset;

    @Option(names = "--model", paramLabel = "DIR", description = "model directory, local or s3a:// (sets model.dir)")
    private String model;

    @Override
    protected Job job() {
        return new FeaturesJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("features.dataset", dataset, "model.dir", model);
    }
}
