package dev.vlmadapt.jobs.bench;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code vlmadapt bench-evaluate}. */
@Command(name = "bench-evaluate", description = "The evaluate grid through Spark against a direct loop, into "
        + "bench-results/evaluate.json.")
public final class BenchEvaluateCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"bench", "evaluate", "device", "threads", "output"};
    }

    @Override
    protected Job job() {
        return new BenchEvaluateJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return Map.of();
    }
}
