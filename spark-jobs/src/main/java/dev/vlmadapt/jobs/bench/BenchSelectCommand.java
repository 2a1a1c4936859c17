package dev.vlmadapt.jobs.bench;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import picocli.CommandLine.Command;

/** {@code vlmadapt bench-select}. */
@Command(name = "bench-select", description = "Selection wall time for one target: MLL over the labelled hub and "
        + "language-only over the imported ranking table, into bench-results/select.json.")
public final class BenchSelectCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"bench", "select", "tables", "output"};
    }

    @Override
    protected Job job() {
        return new BenchSelectJob();
    }
}
