package dev.vlmadapt.jobs.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.runtime.optim.Spsa;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SPSA settings that {@code conf/reference.conf} gives ZIP and BlackVIP are the papers' settings that the
 * optimizer tests check step by step ({@code Spsa.Settings.zip}, {@code Spsa.Settings.blackVip}).
 */
class MethodDefaultsTest {
    @Test
    void referenceConfGivesThePapersSpsaSettings() {
        JobConfig config = JobConfig.load(null, Map.of());
        Spsa.Settings zip = Spsa.Settings.zip(1, 7);
        // ZIP's clip norm is √δ of the prompt space, which the job leaves as -1 until the space is built.
        assertEquals(new Spsa.Settings(zip.a(), zip.c(), zip.alpha(), zip.gamma(), zip.offset(), zip.draws(), zip.kind(),
                -1, zip.momentum(), 7), TuneJob.methodSpec(config, "zip", 7).spsa());
        assertEquals(Spsa.Settings.blackVip(7), TuneJob.methodSpec(config, "blackvip", 7).spsa());
    }
}
