package dev.vlmadapt.jobs.hub;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt hub-import}. */
@Command(name = "hub-import", description = "Import a published zero-shot table (open_clip's wide CSV: model rows, "
        + "dataset columns) into the ranking table.")
public final class HubImportCommand extends JobCommand {
    @Option(names = "--csv", paramLabel = "FILE", description = "the CSV to import (sets hub-import.csv)")
    private String csv;

    @Option(names = "--descriptions", paramLabel = "FILE", description = "dataset → {domain, task, classes | "
            + "prompts} JSON: the datasets' texts for language-only selection (sets hub-import.descriptions)")
    private String descriptions;

    @Option(names = "--prompts", paramLabel = "FILE", description = "class names by prompts key, CLIP paper layout "
            + "(sets hub-import.prompts)")
    private String prompts;

    @Override
    protected String[] helpSections() {
        return new String[] {"hub-import", "tables", "output", "run-id", "spark", "s3"};
    }

    @Override
    protected Job job() {
        return new HubImportJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("hub-import.csv", csv, "hub-import.descriptions", descriptions, "hub-import.prompts", prompts);
    }
}
