package dev.vlmadapt.jobs.ingest;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt ingest}. */
@Command(name = "ingest", description = "Write a dataset's images into the Parquet image table.")
public final class IngestCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"ingest", "tables", "data", "output", "run-id", "spark", "s3"};
    }

    @Option(names = "--dataset", paramLabel = "NAME", description = "dataset (sets ingest.dataset)")
    private String dataset;

    @Override
    protected Job job() {
        return new IngestJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("ingest.dataset", dataset);
    }
}
