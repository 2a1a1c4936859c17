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
        bestVal = Math.max(bestVal, m.valAcc());
        double rate = m.elapsedSeconds() > 0 ? m.queries() / m.elapsedSeconds() : 0;
        double eta = rate > 0 ? (budget - m.queries()) / rate : Double.NaN;
        System.err.printf(Locale.ROOT, "[tune %s] step %d %s  loss %.4f  train %.1f%%  best val %.1f%%  "
                + "%d/%d queries  %.0f queries/s  ETA %.0fs%n", what, m.step(), m.stage(), m.loss(),
                100 * m.trainAcc(), 100 * bestVal, m.queries(), budget, rate, eta);
    }
}
