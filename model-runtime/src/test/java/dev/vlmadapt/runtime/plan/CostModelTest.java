package dev.vlmadapt.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CostModelTest {
    // 2 slots, groups of 16; dispatch 0.02 s; passes alone: 2 queries 0.01 s, 16 queries 0.08 s; a wave 0.1 s.
    private final CostModel m = new CostModel(2, 16, 0.02, 2, 0.01, 0.08, 0.1, 0.5);

    @Test
    void passesInterpolateBetweenTheCalibratedSizes() {
        assertEquals(0.01, m.passSeconds(1), 1e-12);
        assertEquals(0.01, m.passSeconds(2), 1e-12);
        assertEquals(0.01 + 8 * 0.07 / 14, m.passSeconds(10), 1e-12);
        assertEquals(0.08, m.passSeconds(16), 1e-12);
        // 40 queries alone: two full groups and a pass of 8.
        assertEquals(2 * 0.08 + 0.01 + 6 * 0.07 / 14, m.passSeconds(40), 1e-12);
    }

    @Test
    void batchesGoOutInWavesAndChainsStepOneAfterTheOther() {
        // 1024 queries = 64 groups over 2 slots = 32 waves.
        assertEquals(0.02 + 32 * 0.1, m.seconds(new QuerySchedule.Dispatch("stage1", false, 0, 1024)), 1e-12);
        // 40 queries = 3 groups: a full wave, then the third group alone; a batch of one group runs alone.
        assertEquals(0.02 + 0.1 + 0.08, m.seconds(new QuerySchedule.Dispatch("stage1", false, 1, 40)), 1e-12);
        // On 4 slots, a last wave of 3 groups costs two thirds of the way from alone to a full wave.
        CostModel four = new CostModel(4, 16, 0.02, 2, 0.01, 0.08, 0.11, 0.5);
        assertEquals(0.02 + 0.11 + 0.08 + 0.03 * 2 / 3, four.seconds(new QuerySchedule.Dispatch("s", false, 1, 112)),
                1e-12);
        assertEquals(0.02 + 0.01 + 8 * 0.07 / 14, m.seconds(new QuerySchedule.Dispatch("x", false, 1, 10)), 1e-12);
        // A chain of 50 steps of 2 queries: one dispatch, 50 passes of 2.
        assertEquals(0.02 + 50 * 0.01, m.seconds(new QuerySchedule.Dispatch("stage2", true, 50, 100)), 1e-12);
    }

    @Test
    void scheduleSumsItsDispatchesAndMeasurements() {
        QuerySchedule s = new QuerySchedule(List.of(new QuerySchedule.Dispatch("a", false, 1, 1024),
                new QuerySchedule.Dispatch("b", true, 50, 100)), 3, 1);
        double[] t = m.seconds(s);
        assertEquals(0.02 + 3.2 + 0.02 + 0.5, t[0], 1e-12);
        assertEquals(4 * 0.5, t[1], 1e-12);
    }

    @Test
    void interpolatesFromTheCalibratedChainStep() {
        // ZIP's steps are 10 queries: calibrated at 10 (0.03 s) and at a group of 16 (0.06 s).
        CostModel zip = new CostModel(2, 16, 0.02, 10, 0.03, 0.06, 0.1, 0.5);
        assertEquals(0.03, zip.passSeconds(10), 1e-12);
        assertEquals(0.03 + 3 * 0.005, zip.passSeconds(13), 1e-12);
        assertEquals(0.02 + 50 * 0.03, zip.seconds(new QuerySchedule.Dispatch("spsa", true, 50, 500)), 1e-12);
    }

    @Test
    void refusesNoSlots() {
        assertThrows(IllegalArgumentException.class, () -> new CostModel(0, 16, 0, 2, 0, 0, 0, 0));
    }
}
