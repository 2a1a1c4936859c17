package dev.vlmadapt.jobs.splits;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt splits}. */
@Command(name = "splits", description = "Few-shot train/val/test splits (CoOp protocol) of an ingested dataset.")
public final class SplitsCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"splits", "tables", "output", "run-id", "spark", "s3"};
    }

    @Option(names = "--dataset", paramLabel = "NAME", description = "dataset (sets splits.dataset)")
    private String dataset;

    @Override
    protected Job job() {
        return new SplitsJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("splits.dataset", dataset);
    }
}
