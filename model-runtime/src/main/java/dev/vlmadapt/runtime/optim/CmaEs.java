package dev.vlmadapt.runtime.optim;

import dev.vlmadapt.runtime.random.Seeds;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * CMA-ES with full covariance and the default parameters of Hansen's tutorial ("The CMA Evolution Strategy: A
 * Tutorial", arXiv:1604.00772, Table 1; no active update), as an ask/tell object. Written here rather than
 * taken from a library because the libraries on hand (e.g. commons-math's CMAESOptimizer) run the loop and call
 * the objective themselves, while a distributed run needs to hand a whole generation to Spark and feed the
 * losses back. Generation {@code g}'s member {@code k} is drawn from a seed derived from (seed, g, k), so a
 * generation is reproducible from the state alone, whatever evaluates it.
 */
public final class CmaEs {
    private final int n;
    private final int lambda;
    private final int mu;
    private final double[] weights;
    private final double muEff;
    private final double cc;
    private final double cs;
    private final double c1;
    private final double cmu;
    private final double damps;
    private final double chiN;
    private final long seed;

    private State state;

    /**
     * The complete state after a generation; with the seed and dimension it determines everything that follows.
     *
     * @param mean distribution mean
     * @param sigma step size
     * @param c covariance matrix (row-major, n×n)
     * @param pc evolution path of the covariance
     * @param ps evolution path of the step size
     * @param generation generations told so far
     * @param evaluations evaluations told so far
     * @param eigenAt evaluations at the last eigendecomposition
     * @param b eigenvectors of C at that decomposition (columns)
     * @param d square roots of its eigenvalues
     */
    public record State(double[] mean, double sigma, double[][] c, double[] pc, double[] ps, int generation,
            long evaluations, long eigenAt, double[][] b, double[] d) {
    }

    /**
     * @param mean initial mean
     * @param sigma initial step size
     * @param lambda population size; 0 for the default 4 + ⌊3 ln n⌋
     * @param seed seed of the samples
     */
    public CmaEs(double[] mean, double sigma, int lambda, long seed) {
        if (mean.length < 1) {
            throw new IllegalArgumentException("dimension must be >= 1");
        }
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
        n = mean.length;
        this.lambda = lambda > 0 ? lambda : 4 + (int) Math.floor(3 * StrictMath.log(n));
        if (this.lambda < 2) {
            throw new IllegalArgumentException("population size must be >= 2, got " + lambda);
        }
        this.seed = seed;
        mu = this.lambda / 2;
        weights = new double[mu];
        double sum = 0;
        for (int i = 0; i < mu; i++) {
            weights[i] = StrictMath.log((this.lambda + 1) / 2.0) - StrictMath.log(i + 1);
            sum += weights[i];
        }
        double sumSq = 0;
        for (int i = 0; i < mu; i++) {
            weights[i] /= sum;
            sumSq += weights[i] * weights[i];
        }
        muEff = 1 / sumSq;
        cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
        cs = (muEff + 2) / (n + muEff + 5);
        c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff);
        cmu = Math.min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff));
        damps = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cs;
        chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
        double[][] identity = new double[n][n];
        for (int i = 0; i < n; i++) {
            identity[i][i] = 1;
        }
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        state = new State(mean.clone(), sigma, identity, new double[n], new double[n], 0, 0, 0, copy(identity), ones);
    }

    /** @return the population size λ */
    public int populationSize() {
        return lambda;
    }

    /** @return the state (copies) */
    public State state() {
        return new State(state.mean().clone(), state.sigma(), copy(state.c()), state.pc().clone(),
                state.ps().clone(), state.generation(), state.evaluations(), state.eigenAt(), copy(state.b()),
                state.d().clone());
    }

    /**
     * Continues from a saved state (a checkpoint).
     *
     * @param s a state from {@link #state()} of a run with the same dimension, λ and seed
     */
    public void restore(State s) {
        if (s.mean().length != n) {
            throw new IllegalArgumentException("state has dimension " + s.mean().length + ", expected " + n);
        }
        state = new State(s.mean().clone(), s.sigma(), copy(s.c()), s.pc().clone(), s.ps().clone(), s.generation(),
                s.evaluations(), s.eigenAt(), copy(s.b()), s.d().clone());
    }

    /** @return the current mean (a copy) */
    public double[] mean() {
        return state.mean().clone();
    }

    /** @return the current step size */
    public double sigma() {
        return state.sigma();
    }

    /** @return generations told so far */
    public int generation() {
        return state.generation();
    }

    /**
     * @return the next generation's λ candidates {@code mean + σ·B·D·z}, {@code z ~ N(0, I)} seeded by
     *     (seed, generation, member)
     */
    public double[][] ask() {
        double[][] b = state.b();
        double[] d = state.d();
        double[][] x = new double[lambda][];
        for (int k = 0; k < lambda; k++) {
            SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "cma", state.generation(), k));
            double[] bdz = new double[n];
            double[] dz = new double[n];
            for (int j = 0; j < n; j++) {
                dz[j] = d[j] * r.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += b[i][j] * dz[j];
                }
                bdz[i] = s;
            }
            x[k] = new double[n];
            for (int i = 0; i < n; i++) {
                x[k][i] = state.mean()[i] + state.sigma() * bdz[i];
            }
        }
        return x;
    }

    /**
     * Updates the distribution from a generation's losses.
     *
     * @param candidates the points of {@link #ask()} (λ of them)
     * @param losses their losses (lower is better)
     */
    public void tell(double[][] candidates, double[] losses) {
        if (candidates.length != lambda || losses.length != lambda) {
            throw new IllegalArgumentException("expected " + lambda + " candidates and losses, got "
                    + candidates.length + " and " + losses.length);
        }
        Integer[] order = new Integer[lambda];
        for (int k = 0; k < lambda; k++) {
            order[k] = k;
        }
        // Stable sort on (loss, index): ties resolve the same way everywhere.
        Arrays.sort(order, Comparator.<Integer>comparingDouble(k -> losses[k]).thenComparingInt(k -> k));
        double[] old = state.mean();
        double sigma = state.sigma();
        double[][] b = state.b();
        double[] d = state.d();
        double[] mean = new double[n];
        double[][] y = new double[mu][n];                             // (μ, n) selected steps, in σ units
        for (int i = 0; i < mu; i++) {
            double[] x = candidates[order[i]];
            for (int j = 0; j < n; j++) {
                mean[j] += weights[i] * x[j];
                y[i][j] = (x[j] - old[j]) / sigma;
            }
        }
        double[] yw = new double[n];
        for (int j = 0; j < n; j++) {
            yw[j] = (mean[j] - old[j]) / sigma;
        }
        // C^{-1/2} y_w = B D^{-1} B^T y_w
        double[] bty = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += b[j][i] * yw[j];
            }
            bty[i] = s / d[i];
        }
        double[] ps = state.ps().clone();
        double psScale = Math.sqrt(cs * (2 - cs) * muEff);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += b[i][j] * bty[j];
            }
            ps[i] = (1 - cs) * ps[i] + psScale * s;
        }
        double psNorm = norm(ps);
        int generation = state.generation() + 1;
        boolean hsig = psNorm / Math.sqrt(1 - StrictMath.pow(1 - cs, 2.0 * generation)) / chiN < 1.4 + 2.0 / (n + 1);
        double[] pc = state.pc().clone();
        double pcScale = hsig ? Math.sqrt(cc * (2 - cc) * muEff) : 0;
        for (int i = 0; i < n; i++) {
            pc[i] = (1 - cc) * pc[i] + pcScale * yw[i];
        }
        double[][] c = new double[n][n];
        double keep = 1 - c1 - cmu + (hsig ? 0 : c1 * cc * (2 - cc));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double rankMu = 0;
                for (int k = 0; k < mu; k++) {
                    rankMu += weights[k] * y[k][i] * y[k][j];
                }
                double v = keep * state.c()[i][j] + c1 * pc[i] * pc[j] + cmu * rankMu;
                c[i][j] = v;
                c[j][i] = v;
            }
        }
        double newSigma = sigma * StrictMath.exp((cs / damps) * (psNorm / chiN - 1));
        long evaluations = state.evaluations() + lambda;
        long eigenAt = state.eigenAt();
        // The decomposition is O(n³): refresh it only every λ/(c1+cμ)/n/10 evaluations, as the tutorial advises.
        if (evaluations - eigenAt > lambda / (c1 + cmu) / n / 10) {
            double[][] newB = new double[n][n];
            double[] newD = new double[n];
            decompose(c, newB, newD);
            state = new State(mean, newSigma, c, pc, ps, generation, evaluations, evaluations, newB, newD);
        } else {
            state = new State(mean, newSigma, c, pc, ps, generation, evaluations, eigenAt, b, d);
        }
    }

    /** B and D of C = B·D²·Bᵀ. */
    private void decompose(double[][] c, double[][] b, double[] d) {
        EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(c, false));
        double[] eig = e.getRealEigenvalues();
        RealMatrix v = e.getV();
        for (int j = 0; j < n; j++) {
            d[j] = Math.sqrt(Math.max(eig[j], 1e-300));
            for (int i = 0; i < n; i++) {
                b[i][j] = v.getEntry(i, j);
            }
        }
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
