package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import picocli.CommandLine.Command;

/** {@code vlmadapt semantic-graph}. */
@Command(name = "semantic-graph", description = "MLL's semantic graph: WordNet synsets of the sample datasets' "
        + "classes and their hypernyms, with MiniLM embeddings of the node texts, into the semantic_graph table.")
public final class SemanticGraphCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"select", "tables", "output", "run-id", "spark", "s3"};
    }

    @Override
    protected Job job() {
        return new SemanticGraphJob();
    }
}
