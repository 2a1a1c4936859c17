package dev.vlmadapt.jobs.pretrain;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt pretrain-tiny}. */
@Command(name = "pretrain-tiny", description = "Train the tiny CLIP from scratch on real data.")
public final class PretrainTinyCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"pretrain-tiny", "device", "output", "run-id", "seed", "threads"};
    }

    @Option(names = "--output", paramLabel = "DIR", description = "model directory to write "
            + "(sets pretrain-tiny.output)")
    private Path output;

    @Override
    protected Job job() {
        return new PretrainTinyJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("pretrain-tiny.output", output);
    }
}
