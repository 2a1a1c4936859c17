package dev.vlmadapt.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class CmaEsTest {
    static double sphere(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return s;
    }

    static double rosenbrock(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length - 1; i++) {
            double a = x[i] * x[i] - x[i + 1];
            double b = x[i] - 1;
            s += 100 * a * a + b * b;
        }
        return s;
    }

    /** @return evaluations until the best loss is below 1e-8, or -1 */
    static long evaluationsTo(ToDoubleFunction<double[]> f, double[] x0, double sigma, long seed, long budget) {
        CmaEs es = new CmaEs(x0, sigma, 0, seed);
        long evals = 0;
        while (evals < budget) {
            double[][] x = es.ask();
            double[] loss = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                loss[k] = f.applyAsDouble(x[k]);
                evals++;
                if (loss[k] < 1e-8) {
                    return evals;
                }
            }
            es.tell(x, loss);
        }
        return -1;
    }

    @Test
    void printCounts() {
        for (int n : new int[] {10, 40}) {
            double[] x0 = new double[n];
            java.util.Arrays.fill(x0, 0.5);
            long[] s = new long[5];
            long[] r = new long[5];
            for (int seed = 0; seed < 5; seed++) {
                s[seed] = evaluationsTo(CmaEsTest::sphere, x0, 0.5, seed, 1_000_000);
                r[seed] = evaluationsTo(CmaEsTest::rosenbrock, new double[n], 0.5, seed, 1_000_000);
            }
            System.out.println("n=" + n + " sphere " + java.util.Arrays.toString(s) + " rosen " + java.util.Arrays.toString(r));
        }
    }

    @Test
    void resumeFromStateIsExact() {
        double[] x0 = {1, 2, 3, -1, 0.5};
        CmaEs a = new CmaEs(x0, 0.3, 0, 7);
        CmaEs b = new CmaEs(x0, 0.3, 0, 7);
        for (int g = 0; g < 30; g++) {
            double[][] xa = a.ask();
            double[] la = new double[xa.length];
            for (int k = 0; k < xa.length; k++) {
                la[k] = rosenbrock(xa[k]);
            }
            a.tell(xa, la);
            double[][] xb = b.ask();
            b.tell(xb, la.clone());
            if (g == 12) {
                CmaEs restored = new CmaEs(new double[5], 1, 0, 7);
                restored.restore(b.state());
                b = restored;
            }
        }
        assertArrayEquals(a.mean(), b.mean(), 0.0);
        assertEquals(a.sigma(), b.sigma(), 0.0);
    }
}
