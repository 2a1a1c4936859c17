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

    /**
     * BBT is CMA-ES alone: every query is a CMA-ES sample (x − m = σ·y with yᵀC⁻¹y = |z|², z the member's seeded
     * normal vector), no gradient queries, and after every generation the mean, σ and C equal those of an
     * independent transcription of the tutorial's update ({@link TutorialCmaEs}) told the same points and losses.
     */
    @Test
    void bbtIsPlainCmaEs() {
        double[] x0 = {1, 2, 3, -1, 0.5};
        SharpZo bbt = SharpZo.bbt(x0, 0.5, 8, 4);
        TutorialCmaEs reference = new TutorialCmaEs(x0, 0.5, 8);
        for (int g = 0; g < 25; g++) {
            QueryBatch batch = bbt.ask();
            assertEquals(8, batch.size(), "generation " + g + ": one query per member, nothing else");
            double[][] x = new double[8][];
            double[] losses = new double[8];
            for (int k = 0; k < 8; k++) {
                x[k] = batch.point(k);
                double[] y = new double[5];
                for (int i = 0; i < 5; i++) {
                    y[i] = (x[k][i] - reference.m.getEntry(i)) / reference.sigma;
                }
                java.util.SplittableRandom r = new java.util.SplittableRandom(
                        dev.vlmadapt.runtime.random.Seeds.derive(4, "cma", g, k));
                double z2 = 0;
                for (int i = 0; i < 5; i++) {
                    double z = r.nextGaussian();
                    z2 += z * z;
                }
                assertEquals(z2, reference.mahalanobis(y), 1e-9 * z2, "generation " + g + ", member " + k);
                losses[k] = quadratic(x[k]);
            }
            bbt.tell(losses);
            reference.tell(x, losses);
            CmaEs.State state = StateJson.read(bbt.state(), SharpZo.State.class).cma();
            assertArrayEquals(reference.m.toArray(), bbt.solution(), 1e-12, "mean after generation " + g);
            assertEquals(reference.sigma, state.sigma(), 1e-12 * reference.sigma, "sigma after generation " + g);
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(reference.c.getRow(i), state.c()[i], 1e-12, "C after generation " + g);
            }
        }
    }

    /** The mask keeps the (1 − prune ratio)·d coordinates of lowest Z(|g|)·w² (the released code), or highest. */
    @Test
    void stageTwoMaskKeepsTheLowestOrHighestScores() {
        for (boolean highest : new boolean[] {false, true}) {
            int d = 10;
            SharpZo.Settings base = sharp(2, 5);
            SharpZo opt = new SharpZo(new double[d], new SharpZo.Settings(base.sigma(), base.population(), base.rho(),
                    true, base.muCge1(), 2, base.patience(), base.minImprovement(), base.muCge2(), base.muRge(),
                    base.learningRate(), base.maskEvery(), base.pruneRatio(), highest, 5));
            run(opt, ZoOptimizersTest::quadratic, 2 * (2 * d + 10) + 2 * d);
            double[] w = opt.solution();
            double[] g = quadraticGradient(w);                 // what the central differences give on a quadratic
            double mean = 0;
            for (double v : g) {
                mean += Math.abs(v) / d;
            }
            double var = 0;
            for (double v : g) {
                var += (Math.abs(v) - mean) * (Math.abs(v) - mean) / d;
            }
            Integer[] order = new Integer[d];
            double[] score = new double[d];
            for (int i = 0; i < d; i++) {
                order[i] = i;
                score[i] = w[i] * w[i] * (Math.abs(g[i]) - mean) / Math.sqrt(var);
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
            double[] expected = new double[d];
            for (int r = 0; r < 5; r++) {
                expected[highest ? order[d - 1 - r] : order[r]] = 1;
            }
            assertArrayEquals(expected, opt.ask().mask(), 0.0, (highest ? "highest" : "lowest") + " scores "
                    + java.util.Arrays.toString(score));
        }
    }

    @Test
    void spsaVariantsDescend() {
        int d = 6;
        for (Spsa.Settings settings : new Spsa.Settings[] {Spsa.Settings.zip(d, 1), Spsa.Settings.blackVip(1)}) {
            Spsa opt = new Spsa(new double[d], settings);
            double start = quadratic(new double[d]);
            run(opt, ZoOptimizersTest::quadratic, 10_000);
            double end = quadratic(opt.solution());
            assertTrue(end < 0.5 * start, settings.kind() + ": " + start + " -> " + end);
        }
    }

    /**
     * ZIP's SPSA with its production settings, three steps on linear losses against the formulas written out:
     * c_k = c/(k+1)^γ, a_k = a/(k+1+o)^α, ĝ = mean over draws of (L(w+c_kΔ) − L(w−c_kΔ))/(2c_k) / Δ, rescaled to
     * norm √δ when it reaches it, w ← w − a_k·ĝ. The losses' slopes put the first estimate's norm at 0.02, 1.2
     * and 40 times √δ: no clipping, clipping just past the threshold, clipping at every step.
     */
    @Test
    void zipStepsFollowTheFormulaWithClipping() {
        int d = 7;
        Spsa.Settings s = Spsa.Settings.zip(d, 3);
        double[] norms = new double[3];
        followSpsa(s, d, 1, norms);
        double unitNorm = norms[0];                            // the estimate is linear in the slope
        for (double times : new double[] {0.02, 1.2, 40}) {
            double slope = times * Math.sqrt(d) / unitNorm;
            double[] expected = followSpsa(s, d, slope, norms);
            Spsa opt = new Spsa(new double[d], s);
            run(opt, x -> linear(x, slope), 3 * 2L * s.draws());
            assertArrayEquals(expected, opt.solution(), 1e-12, "first estimate at " + times + "·√δ");
            assertEquals(times > 1, norms[0] >= Math.sqrt(d), "the first step is clipped exactly when it should be");
        }
    }

    /**
     * BlackVIP's SPSA-GC with its production settings: ±U[0.5, 1] directions, no clipping, and the momentum of
     * gradient correction, m ← βm + ĝ, w ← w − a_k(ĝ + βm), over three steps (the momentum matters from the second).
     */
    @Test
    void blackVipStepsFollowTheFormulaWithMomentum() {
        int d = 7;
        Spsa.Settings s = Spsa.Settings.blackVip(3);
        double[] expected = followSpsa(s, d, 2, new double[3]);
        Spsa opt = new Spsa(new double[d], s);
        run(opt, x -> linear(x, 2), 3 * 2L * s.draws());
        assertArrayEquals(expected, opt.solution(), 1e-12);
    }

    static double linear(double[] x, double slope) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += slope * (i % 2 == 0 ? 1 : -0.5) * (i + 1) * x[i];
        }
        return s;
    }

    /** Three SPSA steps from 0 by the formulas, the estimates' norms before clipping into {@code norms}; @return w */
    private static double[] followSpsa(Spsa.Settings s, int d, double slope, double[] norms) {
        double[] w = new double[d];
        double[] m = new double[d];
        for (int k = 0; k < 3; k++) {
            double ck = s.c() / Math.pow(k + 1, s.gamma());
            double ak = s.a() / Math.pow(k + 1 + s.offset(), s.alpha());
            double[] g = new double[d];
            for (int j = 0; j < s.draws(); j++) {
                double[] delta = Directions.draw(s.kind(), dev.vlmadapt.runtime.random.Seeds.derive(s.seed(), "spsa",
                        k, j), d, null);
                double[] plus = new double[d];
                double[] minus = new double[d];
                for (int i = 0; i < d; i++) {
                    plus[i] = w[i] + ck * delta[i];
                    minus[i] = w[i] - ck * delta[i];
                }
                double diff = (linear(plus, slope) - linear(minus, slope)) / (2 * ck);
                for (int i = 0; i < d; i++) {
                    g[i] += diff / delta[i] / s.draws();
                }
            }
            double norm = Math.sqrt(java.util.Arrays.stream(g).map(v -> v * v).sum());
            norms[k] = norm;
            for (int i = 0; i < d; i++) {
                if (s.clipNorm() > 0 && norm >= s.clipNorm()) {
                    g[i] *= s.clipNorm() / norm;
                }
                m[i] = s.momentum() * m[i] + g[i];
                w[i] -= ak * (g[i] + s.momentum() * m[i]);
            }
        }
        return w;
    }
}
