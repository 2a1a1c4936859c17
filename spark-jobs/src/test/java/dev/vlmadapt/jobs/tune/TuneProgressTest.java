package dev.vlmadapt.jobs.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlmadapt.runtime.tune.TuningLoop;
import org.junit.jupiter.api.Test;

class TuneProgressTest {
    @Test
    void theEtaIsUnknownBeforeTheFirstQueriesAndThenFromTheRate() {
        TuneProgress p = new TuneProgress("sharpzo toy", 1000, 0);
        assertEquals("[tune sharpzo toy] step 0 stage1  loss 2.5637  train 43.8%  best val 44.0%  0/1000 queries"
                + "  0 queries/s  ETA unknown",
                p.line(new TuningLoop.Metrics(0, "stage1", 0, 2.5637, 0.4375, 0.44, 0.5, 0, Double.NaN)));
        // 250 queries in 5 s: 50 queries/s, 750 to go.
        assertEquals("[tune sharpzo toy] step 5 stage1  loss 2.1000  train 50.0%  best val 44.0%  250/1000 queries"
                + "  50 queries/s  ETA 15s",
                p.line(new TuningLoop.Metrics(5, "stage1", 250, 2.1, 0.5, 0.40, 5.0, 0, Double.NaN)));
    }
}
