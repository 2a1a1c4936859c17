package dev.vlmadapt.jobs.zeroshot;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt zero-shot}. */
@Command(name = "zero-shot", description = "Zero-shot top-1/top-5 of a model on a dataset split.")
public final class ZeroShotCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"model", "zero-shot", "device", "output", "run-id", "seed", "threads"};
    }

    @Option(names = "--model", paramLabel = "DIR", description = "model directory (sets model.dir)")
    private Path model;

    @Option(names = "--dataset", paramLabel = "NAME", description = "dataset (sets zero-shot.dataset)")
    private String dataset;

    @Override
    protected Job job() {
        return new ZeroShotJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("model.dir", model, "zero-shot.dataset", dataset);
    }
}
