package dev.vlmadapt.jobs.bench;

import dev.vlmadapt.runtime.optim.CmaEs;
import java.lang.management.ManagementFactory;

/**
 * The CPU a CMA-ES generation costs the driver by itself (ask, tell and the background work they start: sample
 * steps, covariance update, the eigendecomposition every few generations), measured as this process's CPU time
 * over many generations on a cheap quadratic. Run it while no Spark job is running.
 */
final class CmaEsCost {
    private CmaEsCost() {
    }

    /**
     * @param n dimension
     * @param lambda population
     * @param generations how many generations to average over (after as many for warm-up)
     * @return milliseconds of CPU per generation
     */
    static double cpuMillisPerGeneration(int n, int lambda, int generations) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        run(n, lambda, generations);                                   // warm-up (JIT)
        long before = os.getProcessCpuTime();
        run(n, lambda, generations);
        return (os.getProcessCpuTime() - before) / 1e6 / generations;
    }

    private static void run(int n, int lambda, int generations) {
        CmaEs es = new CmaEs(new double[n], 0.1, lambda, 1);
        for (int g = 0; g < generations; g++) {
            double[][] x = es.ask();
            double[] losses = new double[lambda];
            for (int k = 0; k < lambda; k++) {
                for (int i = 0; i < n; i++) {
                    losses[k] += (x[k][i] - 1) * (x[k][i] - 1) * (1 + i % 7);
                }
            }
            es.tell(x, losses);
        }
    }
}
