package dev.vlmadapt.jobs.bench;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import picocli.CommandLine.Command;

/** {@code vlmadapt bench-tuning}. */
@Command(name = "bench-tuning", description = "Spark overhead on SharpZO generations, local[2] vs local[1], "
        + "BBT's queries/s against SharpZO's, cached-feature vs re-encoding queries (bench-results/tuning.json).")
public final class BenchTuningCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"bench", "pretrain-tiny.architecture", "threads", "output", "spark"};
    }

    @Override
    protected Job job() {
        return new BenchTuningJob();
    }
}
