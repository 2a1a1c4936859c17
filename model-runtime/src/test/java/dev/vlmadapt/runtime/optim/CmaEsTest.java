package dev.vlmadapt.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.apache.commons.math3.random.MersenneTwister;
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

    /**
     * Mean evaluations to f < 1e-8 over 5 seeds, against published runs of default-parameter CMA-ES:
     * <ul>
     * <li>Sphere, n = 10 and 40: 1525 and 5780 evaluations, mean of 50 runs from a uniform start in [-4, 4]^n,
     * libcmaes (active CMA-ES; on the sphere the active update changes little), reported by its maintainer in
     * CMA-ES/libcmaes issue #88 (2015-01-24), test setup tests/tpa-tests.cc.</li>
     * <li>Rosenbrock, n = 10: 5565 evaluations to 1e-8 (libcmaes, CMA-ES/libcmaes issue #106, 2015-01-31);
     * pycma's fmin doctest asserts fewer than 8000 from [0.1]*10.</li>
     * </ul>
     * The issue asks for agreement within 25%.
     */
    @Test
    void evaluationsToReach1e8MatchPublishedFigures() {
        assertWithin(1525, meanEvaluations(CmaEsTest::sphere, 10, true), "sphere n=10");
        assertWithin(5780, meanEvaluations(CmaEsTest::sphere, 40, true), "sphere n=40");
        assertWithin(5565, meanEvaluations(CmaEsTest::rosenbrock, 10, false), "Rosenbrock n=10");
    }

    /**
     * Rosenbrock, n = 40, has no published count (c-cmaes' documentation only bounds a hard run by 300·n², six
     * times what CMA-ES needs), so the reference is measured: commons-math's CMAESOptimizer, an independent
     * implementation of the same algorithm, with the active update off and the same λ, x0 = 0, σ0 = 0.5 and
     * target 1e-8 (it checks the target once per generation, so it counts up to λ − 1 more). Rosenbrock's local
     * minimum near x1 = −1 catches a few runs of any CMA-ES (6 of 100 seeds of this one), so each side's mean is
     * over its first runs that reach 1e-8, and at most 2 of 7 seeds may end in the local minimum.
     */
    @Test
    void rosenbrock40MatchesCommonsMathsCmaEs() {
        int n = 40;
        int lambda = 4 + (int) Math.floor(3 * Math.log(n));
        double ours = 0;
        int converged = 0;
        for (int seed = 1; seed <= 7 && converged < 5; seed++) {
            long evals = evaluationsTo(CmaEsTest::rosenbrock, new double[n], 0.5, seed, 400_000);
            if (evals > 0) {
                ours += evals;
                converged++;
            }
        }
        assertEquals(5, converged, "runs of 7 that reached 1e-8");
        ours /= converged;
        double theirs = 0;
        for (int seed = 1; seed <= 3; seed++) {
            CMAESOptimizer o = new CMAESOptimizer(400_000, 1e-8, false, 0, 0, new MersenneTwister(seed), false, null);
            double[] sigma = new double[n];
            java.util.Arrays.fill(sigma, 0.5);
            PointValuePair best = o.optimize(new MaxEval(400_000), new ObjectiveFunction(CmaEsTest::rosenbrock),
                    GoalType.MINIMIZE, new InitialGuess(new double[n]), new CMAESOptimizer.Sigma(sigma),
                    new CMAESOptimizer.PopulationSize(lambda), SimpleBounds.unbounded(n));
            assertTrue(best.getValue() < 1e-8, "commons-math, seed " + seed + ": " + best.getValue());
            theirs += o.getEvaluations() / 3.0;
        }
        System.out.printf(java.util.Locale.ROOT, "CMA-ES n=40 Rosenbrock: %.0f evaluations to 1e-8, commons-math %.0f%n",
                ours, theirs);
        assertWithin(theirs, ours, "Rosenbrock n=40 against commons-math");
    }

    /** Sphere: uniform start in [-4, 4]^n and σ0 = 1 as in the libcmaes runs; Rosenbrock: x0 = 0, σ0 = 0.5. */
    private static double meanEvaluations(ToDoubleFunction<double[]> f, int n, boolean sphere) {
        double sum = 0;
        for (int seed = 1; seed <= 5; seed++) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(100 + seed);
            double[] x0 = new double[n];
            for (int i = 0; i < n && sphere; i++) {
                x0[i] = r.nextDouble(-4, 4);
            }
            long evals = evaluationsTo(f, x0, sphere ? 1.0 : 0.5, seed, 2_000_000);
            assertTrue(evals > 0, "no convergence, seed " + seed);
            sum += evals;
        }
        double mean = sum / 5;
        System.out.printf(java.util.Locale.ROOT, "CMA-ES n=%d %s: %.0f evaluations to 1e-8 (mean of 5)%n", n,
                sphere ? "sphere" : "Rosenbrock", mean);
        return mean;
    }

    private static void assertWithin(double published, double measured, String what) {
        assertTrue(Math.abs(measured - published) <= 0.25 * published,
                what + ": " + measured + " evaluations vs " + published);
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
