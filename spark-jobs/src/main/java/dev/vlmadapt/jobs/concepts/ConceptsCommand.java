package dev.vlmadapt.jobs.concepts;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code vlmadapt concepts}. */
@Command(name = "concepts", description = "Write the concept table: each concept of the artwork with its styles "
        + "and WordNet meaning.")
public final class ConceptsCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"concepts", "tables", "data", "output", "run-id", "spark"};
    }

    @Override
    protected Job job() {
        return new ConceptsJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return Map.of();
    }
}
