package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt reuse}. */
@Command(name = "reuse", description = "MLL's reuse: select k hub models per class for a catalog dataset and "
        + "classify its test split with them as an entropy-weighted ensemble.")
public final class ReuseCommand extends JobCommand {
    @Option(names = "--dataset", paramLabel = "NAME", description = "the catalog dataset (sets select.dataset)")
    private String dataset;

    @Option(names = "-k", paramLabel = "K", description = "models per class (sets select.mll.k)")
    private Integer k;

    @Override
    protected String[] helpSections() {
        return new String[] {"select", "evaluate", "hub", "tables", "output", "run-id", "spark", "s3"};
    }

    @Override
    protected Job job() {
        return new ReuseJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("select.dataset", dataset, "select.mll.k", k);
    }
}
