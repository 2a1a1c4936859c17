package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.runtime.tune.TuningLoop;
import java.util.Locale;

/** The tuning progress line: step, stage, loss, best validation accuracy, queries per second, ETA. */
final class TuneProgress {
    private final String what;
    private final long budget;
    private double bestVal = -1;

    TuneProgress(String what, long budget) {
        this.what = what;
        this.budget = budget;
    }

    void update(TuningLoop.Metrics m) {
        System.err.println(line(m));
    }

    /** @return the progress line after measurement {@code m} (the ETA is unknown until queries were made) */
    String line(TuningLoop.Metrics m) {
        bestVal = Math.max(bestVal, m.valAcc());
        double rate = m.elapsedSeconds() > 0 ? m.queries() / m.elapsedSeconds() : 0;
        String eta = rate > 0 ? String.format(Locale.ROOT, "%.0fs", (budget - m.queries()) / rate) : "unknown";
        return String.format(Locale.ROOT, "[tune %s] step %d %s  loss %.4f  train %.1f%%  best val %.1f%%  "
                + "%d/%d queries  %.0f queries/s  ETA %s", what, m.step(), m.stage(), m.loss(),
                100 * m.trainAcc(), 100 * bestVal, m.queries(), budget, rate, eta);
    }
}
