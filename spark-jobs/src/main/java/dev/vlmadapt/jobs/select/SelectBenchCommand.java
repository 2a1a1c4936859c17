package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import picocli.CommandLine.Command;

/** {@code vlmadapt select-bench}. */
@Command(name = "select-bench", description = "Model selection on the hub: MLL (k = 1, 3, reused as an "
        + "entropy-weighted ensemble) against INB, table similarity, the oracle and a random model, per target: "
        + "results.parquet and results.md.")
public final class SelectBenchCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"select", "evaluate", "hub", "tables", "output", "run-id", "spark", "s3"};
    }

    @Override
    protected Job job() {
        return new SelectBenchJob();
    }
}
