package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import picocli.CommandLine.Command;

/** {@code vlmadapt label}. */
@Command(name = "label", description = "MLL's model labels: each hub model's similarity of the sample images to "
        + "every semantic-graph node, one Spark task per model, into the model_labels table (resumable).")
public final class LabelCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"select", "hub", "evaluate", "tables", "output", "run-id", "spark", "s3"};
    }

    @Override
    protected Job job() {
        return new LabelJob();
    }
}
