package dev.vlmadapt.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** SharpZO's stages and the SPSA variants on functions whose gradients are known. */
class ZoOptimizersTest {
    /** An ill-conditioned quadratic with its minimum at 1: f(x) = Σ (i+1)/d · (x_i − 1)². */
    static double quadratic(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (i + 1.0) / x.length * (x[i] - 1) * (x[i] - 1);
        }
        return s;
    }

    static double[] quadraticGradient(double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            g[i] = 2 * (i + 1.0) / x.length * (x[i] - 1);
        }
        return g;
    }

    /** Runs ask/tell until {@code budget} queries; @return queries used. */
    static long run(ZoOptimizer opt, ToDoubleFunction<double[]> f, long budget) {
        long used = 0;
        while (true) {
            QueryBatch batch = opt.ask();
            if (used + batch.size() > budget) {
                return used;
            }
            double[] losses = new double[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                losses[i] = f.applyAsDouble(batch.point(i));
            }
            used += batch.size();
            opt.tell(losses);
        }
    }

    static SharpZo.Settings sharp(int changePoint, long seed) {
        return new SharpZo.Settings(0.3, 10, 0.05, true, 1e-3, changePoint, 3, 0.01, 1e-3, 1e-3, 0.05, 20, 0.5,
                false, seed);
    }

    @Test
    void stageOneAsksTheCentralDifferencesThenPerturbedCandidates() {
        double[] x0 = {0.5, -1, 2, 0};
        SharpZo opt = new SharpZo(x0, sharp(5, 3));
        QueryBatch cge = opt.ask();
        assertEquals(8, cge.size());
        double[] losses = new double[8];
        for (int i = 0; i < 8; i++) {
            losses[i] = quadratic(cge.point(i));
        }
        opt.tell(losses);
        // The candidates are CMA-ES samples shifted by ρ·g/|g|, g the (exact, for a quadratic) central difference.
        double[] g = quadraticGradient(x0);
        double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2] + g[3] * g[3]);
        CmaEs reference = new CmaEs(x0, 0.3, 10, 3);
        double[][] samples = reference.ask();
        QueryBatch cma = opt.ask();
        assertEquals(10, cma.size());
        for (int k = 0; k < 10; k++) {
            double[] expected = new double[4];
            for (int i = 0; i < 4; i++) {
                expected[i] = samples[k][i] + 0.05 * g[i] / norm;
            }
            assertArrayEquals(expected, cma.point(k), 1e-9, "candidate " + k);
        }
    }

    @Test
    void sharpZoSwitchesAtTheChangePointAndStageTwoKeepsImproving() {
        int d = 12;
        SharpZo opt = new SharpZo(new double[d], sharp(15, 1));
        double start = quadratic(new double[d]);
        long used = run(opt, ZoOptimizersTest::quadratic, 15 * (2 * d + 10));
        assertEquals("stage2", opt.stage(), "switched after 15 stage-1 steps (" + used + " queries)");
        assertEquals(15, opt.changePoint());
        double afterStage1 = quadratic(opt.solution());
        assertTrue(afterStage1 < 0.2 * start, "stage 1: " + start + " -> " + afterStage1);
        run(opt, ZoOptimizersTest::quadratic, 3000);
        double afterStage2 = quadratic(opt.solution());
        assertTrue(afterStage2 < afterStage1, "stage 2: " + afterStage1 + " -> " + afterStage2);
    }

    @Test
    void automaticChangePointWaitsForValidationToStall() {
        SharpZo opt = new SharpZo(new double[4], sharp(0, 1));
        double[] val = {0.30, 0.40, 0.405, 0.41, 0.409};
        for (double v : val) {
            assertEquals("stage1", opt.stage());
            run(opt, ZoOptimizersTest::quadratic, 8 + 10);   // one stage-1 iteration
            opt.validation(v);
        }
        // Improvements of 0.005, 0.005 and -0.001 after the best 0.40 do not count: 3 stale steps = patience.
        assertEquals("stage2", opt.stage());
    }

    @Test
    void stageTwoMaskKeepsHalfTheCoordinates() {
        int d = 10;
        SharpZo opt = new SharpZo(new double[d], sharp(2, 5));
        run(opt, ZoOptimizersTest::quadratic, 2 * (2 * d + 10) + 2 * d);
        QueryBatch step = opt.ask();
        double ones = 0;
        for (double m : step.mask()) {
            ones += m;
        }
        assertEquals(5, ones);
        double[] plus = step.point(0);
        double[] base = opt.solution();
        for (int i = 0; i < d; i++) {
            if (step.mask()[i] == 0) {
                assertEquals(base[i], plus[i], 0.0, "masked-out coordinate " + i + " is not perturbed");
            }
        }
    }

    @Test
    void resumingFromAStateEndsAtTheSameParameters() {
        int d = 8;
        SharpZo a = new SharpZo(new double[d], sharp(4, 9));
        run(a, ZoOptimizersTest::quadratic, 2500);
        SharpZo b = new SharpZo(new double[d], sharp(4, 9));
        long used = run(b, ZoOptimizersTest::quadratic, 700);
        SharpZo c = new SharpZo(new double[d], sharp(4, 9));
        c.restore(b.state());
        run(c, ZoOptimizersTest::quadratic, 2500 - used);
        assertArrayEquals(a.solution(), c.solution(), 0.0);
        Spsa s1 = new Spsa(new double[d], Spsa.Settings.blackVip(2));
        run(s1, ZoOptimizersTest::quadratic, 400);
        Spsa s2 = new Spsa(new double[d], Spsa.Settings.blackVip(2));
        run(s2, ZoOptimizersTest::quadratic, 200);
        Spsa s3 = new Spsa(new double[d], Spsa.Settings.blackVip(2));
        s3.restore(s2.state());
        run(s3, ZoOptimizersTest::quadratic, 200);
        assertArrayEquals(s1.solution(), s3.solution(), 0.0);
    }

    @Test
    void bbtIsPlainCmaEs() {
        double[] x0 = {1, 2, 3};
        SharpZo bbt = SharpZo.bbt(x0, 0.5, 8, 4);
        CmaEs cma = new CmaEs(x0, 0.5, 8, 4);
        for (int g = 0; g < 20; g++) {
            QueryBatch batch = bbt.ask();
            double[][] x = cma.ask();
            double[] losses = new double[8];
            for (int k = 0; k < 8; k++) {
                assertArrayEquals(x[k], batch.point(k), 1e-12);
                losses[k] = quadratic(x[k]);
            }
            bbt.tell(losses);
            cma.tell(x, losses);
        }
        assertArrayEquals(cma.mean(), bbt.solution(), 0.0);
    }

    @Test
    void spsaVariantsDescend() {
        int d = 6;
        for (Spsa.Settings settings : new Spsa.Settings[] {
            new Spsa.Settings(0.2, 0.01, 0.4, 0.1, 1, 5, Directions.Kind.RADEMACHER, Math.sqrt(d), 0, 1),
            new Spsa.Settings(0.05, 0.01, 0.4, 0.1, 1, 5, Directions.Kind.SIGNED_UNIFORM, 0, 0.9, 1)}) {
            Spsa opt = new Spsa(new double[d], settings);
            double start = quadratic(new double[d]);
            run(opt, ZoOptimizersTest::quadratic, 2000);
            double end = quadratic(opt.solution());
            assertTrue(end < 0.1 * start, settings.kind() + ": " + start + " -> " + end);
        }
    }

    @Test
    void spsaEstimateIsTheDirectionalDifferenceOverTheDirection() {
        // On a linear function L(w) = a·w, each two-sided draw gives (a·Δ)/Δ_i per coordinate; with one draw and
        // a learning-rate numerator of 1 the update is exactly that, scaled by a_k.
        double[] a = {0.3, -0.2, 0.5};
        Spsa opt = new Spsa(new double[3], new Spsa.Settings(1, 0.1, 0, 0, 0, 1, Directions.Kind.SIGNED_UNIFORM,
                0, 0, 7));
        QueryBatch q = opt.ask();
        double[] losses = new double[2];
        for (int i = 0; i < 2; i++) {
            double[] x = q.point(i);
            losses[i] = a[0] * x[0] + a[1] * x[1] + a[2] * x[2];
        }
        opt.tell(losses);
        double[] delta = Directions.draw(Directions.Kind.SIGNED_UNIFORM,
                dev.vlmadapt.runtime.random.Seeds.derive(7, "spsa", 0, 0), 3, null);
        double directional = a[0] * delta[0] + a[1] * delta[1] + a[2] * delta[2];
        for (int i = 0; i < 3; i++) {
            assertEquals(-directional / delta[i], opt.solution()[i], 1e-9);
        }
    }
}
