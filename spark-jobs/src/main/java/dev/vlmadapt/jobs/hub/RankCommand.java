package dev.vlmadapt.jobs.hub;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt rank}. */
@Command(name = "rank", description = "Print a dataset's models best first, and the models' mean rank over datasets, "
        + "from the ranking table.")
public final class RankCommand extends JobCommand {
    @Option(names = "--dataset", paramLabel = "NAME", description = "the dataset to rank (sets rank.dataset)")
    private String dataset;

    @Override
    protected String[] helpSections() {
        return new String[] {"rank", "tables", "spark", "s3"};
    }

    @Override
    protected Job job() {
        return new RankJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("rank.dataset", dataset);
    }
}
