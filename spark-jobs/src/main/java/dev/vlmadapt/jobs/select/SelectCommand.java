package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt select}. */
@Command(name = "select", description = "Rank a ranking table's models for a task known by text only (class names, "
        + "domain, task): predicted accuracies into predictions.parquet.")
public final class SelectCommand extends JobCommand {
    @Option(names = "--target", paramLabel = "FILE", description = "target JSON: {name, domain, task, classes, "
            + "templates} or a map of them (sets select.target)")
    private String target;

    @Option(names = "--dataset", paramLabel = "NAME", description = "a catalog dataset as the target (sets "
            + "select.dataset)")
    private String dataset;

    @Option(names = "--table", paramLabel = "PATH", description = "the ranking table or one of its partitions "
            + "(sets select.table; default: the rankings under tables.root)")
    private String table;

    @Override
    protected String[] helpSections() {
        return new String[] {"select", "tables", "output", "run-id", "spark", "s3"};
    }

    @Override
    protected Job job() {
        return new SelectJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("select.target", target, "select.dataset", dataset, "select.table", table);
    }
}
