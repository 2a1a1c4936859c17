package dev.vlmadapt.jobs.bench;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import picocli.CommandLine.Command;

/** {@code vlmadapt bench-runtime}. */
@Command(name = "bench-runtime", description = "GEMM rate, text-tower FLOP rate and EOT-crop speedup.")
public final class BenchRuntimeCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"bench", "device", "output", "threads"};
    }

    @Override
    protected Job job() {
        return new BenchRuntimeJob();
    }
}
