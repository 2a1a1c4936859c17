package dev.vlmadapt.runtime.optim;

import dev.vlmadapt.runtime.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SharpZO (NeurIPS'25): stage 1 is sharpness-aware CMA-ES (a coordinate-wise central-difference gradient at
 * the mean, a SAM perturbation of radius ρ along it, and each candidate's fitness taken at the perturbed
 * point); stage 2 is sparse ZO-SGD from the last mean (two-point random gradient estimates on a coordinate
 * mask chosen by Z-scored gradient magnitudes, refreshed every K steps). The change point is fixed or
 * automatic (stage 2 starts when validation accuracy has not improved by more than a threshold for a number
 * of consecutive stage-1 steps, as the paper describes). With ρ = 0, no gradient and no stage 2 it is BBT's
 * CMA-ES; see {@link #bbt}.
 *
 * <p>Follows the paper where the released code differs: plain (not accumulated) ZO-SGD steps, the SAM radius ρ
 * itself (not ρ/√S). The mask keeps the coordinates with the lowest scores, as the released code does, unless
 * {@link Settings#keepHighest()}.
 */
public final class SharpZo implements ZoOptimizer {
    /**
     * @param sigma CMA-ES initial step size
     * @param population CMA-ES population S (0 = CMA-ES default)
     * @param rho SAM radius (0: plain CMA-ES fitness)
     * @param sharpnessAware whether stage 1 computes the gradient and perturbs (false: BBT)
     * @param muCge1 stage-1 central-difference step
     * @param changePoint stage-1 steps before stage 2; 0 = automatic; -1 = never (stage 1 only)
     * @param patience automatic change point: stage-1 steps without improvement
     * @param minImprovement automatic change point: improvement in validation accuracy that counts
     * @param muCge2 stage-2 central-difference step for the mask
     * @param muRge stage-2 random-direction step
     * @param learningRate stage-2 step size η
     * @param maskEvery K: stage-2 steps between mask refreshes
     * @param pruneRatio fraction of coordinates left out of the mask
     * @param keepHighest keep the highest-scoring coordinates instead of the lowest (the released code keeps the
     *     lowest)
     * @param seed seed of all random draws
     */
    public record Settings(double sigma, int population, double rho, boolean sharpnessAware, double muCge1,
            int changePoint, int patience, double minImprovement, double muCge2, double muRge, double learningRate,
            int maskEvery, double pruneRatio, boolean keepHighest, long seed) implements java.io.Serializable {
    }

    private enum Phase { CGE, CMA, MASK, STEP }

    /**
     * Everything that changes during a run.
     *
     * @param phase what the next ask asks for
     * @param step completed steps (stage-1 iterations and stage-2 steps)
     * @param stage1Steps completed stage-1 iterations
     * @param cma CMA-ES state (stage 1; null in stage 2, where it is no longer needed)
     * @param eps SAM perturbation of the current stage-1 iteration
     * @param w stage-2 parameters
     * @param mask stage-2 mask
     * @param bestVal best validation accuracy seen in stage 1
     * @param stale stage-1 steps since it improved
     * @param changedAt step at which stage 2 began, or -1
     */
    public record State(String phase, int step, int stage1Steps, CmaEs.State cma, double[] eps, double[] w,
            double[] mask, double bestVal, int stale, int changedAt) {
    }

    private final Settings s;
    private final int d;
    private final CmaEs cma;
    private Phase phase;
    private int step;
    private int stage1Steps;
    private double[] eps;
    private double[] w;
    private double[] mask;
    /** The CMA-ES candidates of the last ask, for its tell (null after a restore: then drawn again). */
    private double[][] candidates;
    private double bestVal = -1;
    private int stale;
    private int changedAt = -1;

    /**
     * @param initial initial parameters (the CMA-ES mean)
     * @param settings hyper-parameters
     */
    public SharpZo(double[] initial, Settings settings) {
        this.s = settings;
        this.d = initial.length;
        this.cma = new CmaEs(initial, settings.sigma(), settings.population(), settings.seed());
        this.phase = settings.sharpnessAware() ? Phase.CGE : Phase.CMA;
        this.eps = new double[d];
    }

    /**
     * BBT's CLIP variant: CMA-ES on the subspace parameters, no sharpness term, no second stage.
     *
     * @param initial initial parameters
     * @param sigma initial step size
     * @param population population size
     * @param seed seed
     * @return the optimizer
     */
    public static SharpZo bbt(double[] initial, double sigma, int population, long seed) {
        return new SharpZo(initial, new Settings(sigma, population, 0, false, 0, -1, 0, 0, 0, 0, 0, 1, 0, false, seed));
    }

    @Override
    public QueryBatch ask() {
        switch (phase) {
            case CGE:
                return coordinates(cma.mean(), s.muCge1());
            case CMA: {
                double[] mean = cma.mean();
                List<Perturbation> points = new ArrayList<>();
                candidates = cma.ask();
                for (double[] x : candidates) {
                    double[] delta = new double[d];
                    for (int i = 0; i < d; i++) {
                        delta[i] = x[i] + eps[i] - mean[i];
                    }
                    points.add(new Perturbation.Offset(delta));
                }
                return new QueryBatch(mean, null, points);
            }
            case MASK:
                return coordinates(w.clone(), s.muCge2());
            default: {
                long seed = Seeds.derive(s.seed(), "rge", step);
                return new QueryBatch(w.clone(), mask.clone(), List.of(
                        new Perturbation.Seeded(Directions.Kind.GAUSSIAN, seed, s.muRge()),
                        new Perturbation.Seeded(Directions.Kind.GAUSSIAN, seed, -s.muRge())));
            }
        }
    }

    /** 2d central-difference points around x: {@code x + μ e_i} then {@code x − μ e_i} for each i. */
    private QueryBatch coordinates(double[] x, double mu) {
        List<Perturbation> points = new ArrayList<>(2 * d);
        for (int i = 0; i < d; i++) {
            points.add(new Perturbation.Coordinate(i, mu));
            points.add(new Perturbation.Coordinate(i, -mu));
        }
        return new QueryBatch(x, null, points);
    }

    private static double[] centralDifferences(double[] losses, double mu) {
        double[] g = new double[losses.length / 2];
        for (int i = 0; i < g.length; i++) {
            g[i] = (losses[2 * i] - losses[2 * i + 1]) / (2 * mu);
        }
        return g;
    }

    @Override
    public void tell(double[] losses) {
        switch (phase) {
            case CGE: {
                double[] g = centralDifferences(losses, s.muCge1());
                double norm = Math.sqrt(dot(g, g));
                for (int i = 0; i < d; i++) {
                    eps[i] = norm > 0 ? s.rho() * g[i] / norm : 0;
                }
                phase = Phase.CMA;
                break;
            }
            case CMA: {
                cma.tell(candidates != null ? candidates : cma.ask(), losses);
                candidates = null;
                step++;
                stage1Steps++;
                if (s.changePoint() > 0 && stage1Steps >= s.changePoint()) {
                    startStage2();
                } else {
                    phase = s.sharpnessAware() ? Phase.CGE : Phase.CMA;
                }
                break;
            }
            case MASK: {
                mask = mask(centralDifferences(losses, s.muCge2()));
                phase = Phase.STEP;
                break;
            }
            default: {
                double delta = (losses[0] - losses[1]) / (2 * s.muRge());
                double[] u = Directions.draw(Directions.Kind.GAUSSIAN, Seeds.derive(s.seed(), "rge", step), d, mask);
                for (int i = 0; i < d; i++) {
                    w[i] -= s.learningRate() * delta * u[i];
                }
                step++;
                if ((step - changedAt) % s.maskEvery() == 0) {
                    phase = Phase.MASK;
                }
            }
        }
    }

    @Override
    public void validation(double accuracy) {
        if (phase == Phase.MASK || phase == Phase.STEP || s.changePoint() != 0) {
            return;
        }
        if (accuracy > bestVal + s.minImprovement()) {
            bestVal = accuracy;
            stale = 0;
        } else if (accuracy > bestVal) {
            bestVal = accuracy;
            stale++;
        } else {
            stale++;
        }
        if (stale >= s.patience()) {
            startStage2();
        }
    }

    private void startStage2() {
        w = cma.mean();
        changedAt = step;
        phase = Phase.MASK;
    }

    /** Z-scored |g| times w², keeping (1 − pruneRatio)·d coordinates. */
    private double[] mask(double[] g) {
        double[] a = new double[d];
        double mean = 0;
        for (int i = 0; i < d; i++) {
            a[i] = Math.abs(g[i]);
            mean += a[i] / d;
        }
        double var = 0;
        for (int i = 0; i < d; i++) {
            var += (a[i] - mean) * (a[i] - mean) / d;
        }
        double sd = Math.sqrt(var);
        Integer[] order = new Integer[d];
        double[] score = new double[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
            score[i] = w[i] * w[i] * (sd > 0 ? (a[i] - mean) / sd : 0);
        }
        Arrays.sort(order, (x, y) -> {
            int c = Double.compare(score[x], score[y]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        int keep = Math.max(1, (int) Math.round((1 - s.pruneRatio()) * d));
        double[] m = new double[d];
        for (int r = 0; r < keep; r++) {
            m[s.keepHighest() ? order[d - 1 - r] : order[r]] = 1;
        }
        return m;
    }

    @Override
    public long stepCost() {
        return switch (phase) {
            case CGE -> 2L * d + cma.populationSize();
            case CMA -> cma.populationSize();
            case MASK -> 2L * d + 2;
            default -> 2;
        };
    }

    @Override
    public double[] solution() {
        return w != null ? w.clone() : cma.mean();
    }

    @Override
    public String stage() {
        return w != null ? "stage2" : "stage1";
    }

    @Override
    public int step() {
        return step;
    }

    @Override
    public boolean sequential() {
        return phase == Phase.STEP;
    }

    /** @return the step at which stage 2 began, or -1 */
    public int changePoint() {
        return changedAt;
    }

    @Override
    public String state() {
        return StateJson.write(new State(phase.name(), step, stage1Steps, w == null ? cma.state() : null, eps, w, mask,
                bestVal, stale, changedAt));
    }

    @Override
    public void restore(String json) {
        State st = StateJson.read(json, State.class);
        candidates = null;
        phase = Phase.valueOf(st.phase());
        step = st.step();
        stage1Steps = st.stage1Steps();
        if (st.cma() != null) {
            cma.restore(st.cma());
        }
        eps = st.eps();
        w = st.w();
        mask = st.mask();
        bestVal = st.bestVal();
        stale = st.stale();
        changedAt = st.changedAt();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
