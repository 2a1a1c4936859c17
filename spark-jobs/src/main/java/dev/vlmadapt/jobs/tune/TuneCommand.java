package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.cli.JobCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlmadapt tune}. */
@Command(name = "tune", description = "Prompt tuning on cached features: SharpZO, BBT, ZIP, BlackVIP "
        + "(forward-only, queries on the executors; BlackVIP prompts the images) and CoOp (gradients).")
public final class TuneCommand extends JobCommand {
    @Override
    protected String[] helpSections() {
        return new String[] {"tune", "model", "seed", "device", "tables", "output", "run-id", "spark", "s3", "plan"};
    }

    @Option(names = "--method", paramLabel = "NAME", description = "sharpzo, bbt, zip, blackvip, coop or zeroshot (sets tune.method)")
    private String method;

    @Option(names = "--dataset", paramLabel = "NAME", description = "dataset (sets tune.dataset)")
    private String dataset;

    @Option(names = "--plan", description = "print the plan (queries per stage, FLOPs, expected wall time from a "
            + "short calibration) instead of running (sets plan.enabled)")
    private boolean plan;

    @Option(names = "--model", paramLabel = "DIR", description = "model directory, local or s3a:// (sets model.dir)")
    private String model;

    @Override
    protected Job job() {
        return new TuneJob();
    }

    @Override
    protected Map<String, String> optionKeys() {
        return keys("tune.method", method, "tune.dataset", dataset, "model.dir", model, "plan.enabled",
                plan ? "true" : null);
    }
}
