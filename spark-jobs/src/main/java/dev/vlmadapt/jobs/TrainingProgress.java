package dev.vlmadapt.jobs;

import dev.vlmadapt.runtime.train.ClipPretrainer;
import java.util.Locale;

/**
 * Progress lines of a training run on stderr: one per epoch, and within an epoch one every few seconds, each
 * with the steps done, the loss, the rate and the ETA, so that a long first epoch is not silent.
 */
public final class TrainingProgress implements ClipPretrainer.Progress {
    /** Seconds between lines within an epoch: below the 10 s a user waits without news. */
    static final double INTERVAL_SECONDS = 5;

    private final String tag;
    private final int epochs;
    private final long start = System.nanoTime();
    private long lastLine = start;

    /**
     * @param tag the line's prefix, e.g. {@code [pretrain-tiny]}
     * @param epochs epochs of the run
     */
    public TrainingProgress(String tag, int epochs) {
        this.tag = tag;
        this.epochs = epochs;
    }

    @Override
    public void stepDone(int epoch, int step, int totalSteps, double loss) {
        long now = System.nanoTime();
        if ((now - lastLine) / 1e9 >= INTERVAL_SECONDS && step < totalSteps) {
            lastLine = now;
            System.err.println(line(epoch, step, totalSteps, loss, "", (now - start) / 1e9));
        }
    }

    @Override
    public void epochDone(int epoch, int step, int totalSteps, double meanLoss, double imagesPerSecond) {
        long now = System.nanoTime();
        lastLine = now;
        System.err.println(line(epoch, step, totalSteps, meanLoss, String.format(Locale.ROOT, "  %.0f images/s",
                imagesPerSecond), (now - start) / 1e9));
    }

    /** @return a progress line; the ETA assumes the remaining steps run at the rate so far */
    String line(int epoch, int step, int totalSteps, double loss, String extra, double elapsed) {
        double eta = step > 0 ? elapsed / step * (totalSteps - step) : Double.NaN;
        return String.format(Locale.ROOT, "%s epoch %d/%d  step %d/%d  loss %.4f%s  elapsed %.0fs, ETA %s", tag,
                epoch, epochs, step, totalSteps, loss, extra, elapsed, Double.isNaN(eta) ? "unknown"
                        : String.format(Locale.ROOT, "%.0fs", eta));
    }
}
