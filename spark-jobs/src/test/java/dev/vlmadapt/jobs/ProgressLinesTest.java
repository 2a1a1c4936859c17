package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The ETA arithmetic of the progress lines. */
class ProgressLinesTest {
    @Test
    void trainingEtaAssumesTheRateSoFar() {
        TrainingProgress p = new TrainingProgress("[t]", 6);
        // 100 of 3,000 steps in 20 s: 2,900 steps left at 5 steps/s.
        assertEquals("[t] epoch 1/6  step 100/3000  loss 2.5000  elapsed 20s, ETA 580s",
                p.line(1, 100, 3000, 2.5, "", 20));
        assertEquals("[t] epoch 1/6  step 0/3000  loss 2.5000  elapsed 1s, ETA unknown", p.line(1, 0, 3000, 2.5, "", 1));
    }

    @Test
    void sparkJobEtaFromTasksDone() {
        assertEquals("[spark] features x: 4/16 tasks, elapsed 12s, ETA 36s", SparkStatus.line("features x", 4, 16, 12));
        assertEquals("[spark] hub-build: 0/11 tasks, elapsed 30s, ETA unknown", SparkStatus.line("hub-build", 0, 11,
                30));
    }
}
