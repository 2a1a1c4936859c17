package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt select}. */
@Command(name = "select", description = "Choose models for a task known by text only (class names, domain, task): "
        + "MLL per class over the labelled hub, or a ranking table's models ranked by predicted accuracy (--table).")
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

    @Option(names = "--method", paramLabel = "M", description = "mll (over the labelled hub) or language-only (a "
            + "ranking table; the default when --table is given) (sets select.method)")
    private String method;

    @Option(names = "-k", paramLabel = "K", description = "models per class for mll (sets select.mll.k)")
    private Integer k;

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
        String m = method != null ? method : table != null ? "language-only" : null;
        return keys("select.target", target, "select.dataset", dataset, "select.table", table, "select.method", m,
                "select.mll.k", k);
    }
}
