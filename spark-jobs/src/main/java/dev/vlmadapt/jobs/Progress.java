package dev.vlmadapt.jobs;

import java.util.Locale;

/** A progress line on stderr for long work: done/total, rate and ETA, at most about once a second. */
public final class Progress {
    private final String what;
    private final long total;
    private final String unit;
    private final long start = System.nanoTime();
    private long lastPrint;

    /**
     * @param what label of the work
     * @param total units of work
     * @param unit name of one unit, e.g. {@code images}
     */
    public Progress(String what, long total, String unit) {
        this.what = what;
        this.total = total;
        this.unit = unit;
    }

    /** @param done units done so far */
    public void update(long done) {
        long now = System.nanoTime();
        if (now - lastPrint < 1_000_000_000L && done < total) {
            return;
        }
        lastPrint = now;
        double s = (now - start) / 1e9;
        double rate = done / Math.max(s, 1e-9);
        String eta = rate > 0 ? String.format(Locale.ROOT, "%.0fs", (total - done) / rate) : "unknown";
        System.err.printf(Locale.ROOT, "[%s] %d/%d %s, %.1f %s/s, elapsed %.0fs, ETA %s%n", what, done, total,
                unit, rate, unit, s, eta);
    }

    /** Prints the final line. */
    public void done() {
        System.err.printf(Locale.ROOT, "[%s] done in %.1fs%n", what, (System.nanoTime() - start) / 1e9);
    }
}
