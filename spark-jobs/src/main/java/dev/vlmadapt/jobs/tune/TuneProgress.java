package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.runtime.optim.QueryBatch;
import dev.vlmadapt.runtime.tune.QueryEvaluator;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.util.Locale;

/**
 * The tuning progress lines: one per measurement (step, stage, loss, best validation accuracy, queries per second,
 * ETA), and between measurements that are far apart, one at least every {@code progress-seconds} from the
 * queries done so far.
 */
final class TuneProgress {
    private final String what;
    private final long budget;
    private final double intervalSeconds;
    private final long start = System.nanoTime();
    private long lastLine = start;
    private double bestVal = -1;

    /**
     * @param what the run, e.g. {@code sharpzo toy}
     * @param budget queries (CoOp: epochs) of the run
     * @param intervalSeconds seconds between lines at most while work goes on (0: only at measurements)
     */
    TuneProgress(String what, long budget, double intervalSeconds) {
        this.what = what;
        this.budget = budget;
        this.intervalSeconds = intervalSeconds;
    }

    void update(TuningLoop.Metrics m) {
        lastLine = System.nanoTime();
        System.err.println(line(m));
    }

    /** @param done queries (CoOp: epochs) done; prints a line when the last one is older than the interval */
    void tick(long done, String unit) {
        long now = System.nanoTime();
        if (intervalSeconds > 0 && (now - lastLine) / 1e9 >= intervalSeconds) {
            lastLine = now;
            double elapsed = (now - start) / 1e9;
            double rate = done / elapsed;
            System.err.printf(Locale.ROOT, "[tune %s] %d/%d %s  %.1f %s/s  ETA %s%n", what, done, budget, unit, rate,
                    unit, rate > 0 ? String.format(Locale.ROOT, "%.0fs", (budget - done) / rate) : "unknown");
        }
    }

    /** @return {@code evaluator}, reporting the queries done after each of its dispatches */
    QueryEvaluator counting(QueryEvaluator evaluator, long queriesBefore) {
        long[] done = {queriesBefore};
        return new QueryEvaluator() {
            @Override
            public double[] losses(QueryBatch batch) {
                double[] l = evaluator.losses(batch);
                done[0] += batch.size();
                tick(done[0], "queries");
                return l;
            }

            @Override
            public Chain chain(String optimizerState, int maxSteps, long maxQueries) {
                Chain c = evaluator.chain(optimizerState, maxSteps, maxQueries);
                done[0] += c.queries();
                tick(done[0], "queries");
                return c;
            }

            @Override
            public long recomputedQueries() {
                return evaluator.recomputedQueries();
            }
        };
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
