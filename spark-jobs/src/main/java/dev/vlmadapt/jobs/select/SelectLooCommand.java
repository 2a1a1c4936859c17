package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt select-loo}. */
@Command(name = "select-loo", description = "Leave-one-dataset-out evaluation of language-only selection on a "
        + "ranking table, against ranking by the reference dataset (INB): results.parquet and results.md.")
public final class SelectLooCommand extends JobCommand {
    @Option(names = "--table", paramLabel = "PATH", description = "the ranking table or one of its partitions "
            + "(sets select.table; default: the rankings under tables.root)")
    private String table;

    @Override
    protected String[] helpSections() {
        return new String[] {"select", "tables", "output", "run-id", "spark", "s3"};
    }

    @Override
    protected Job job() {
        return new SelectLooJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("select.table", table);
    }
}
