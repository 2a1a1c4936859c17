package dev.vlmadapt.jobs.bench;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import picocli.CommandLine.Command;

/** {@code vlmadapt bench-peer}. */
@Command(name = "bench-peer", description = "One SharpZO query against the peer's query path (CoOp-style "
        + "prompts, full 77-token pass in PyTorch) on the same model and data (bench-results/peer.json).")
public final class BenchPeerCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"bench", "threads", "output"};
    }

    @Override
    protected Job job() {
        return new BenchPeerJob();
    }
}
