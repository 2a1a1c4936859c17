package dev.vlmadapt.runtime.optim;

import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * CMA-ES with full covariance and the default parameters of Hansen's tutorial ("The CMA Evolution Strategy: A
 * Tutorial", arXiv:1604.00772, Table 1; no active update), as an ask/tell object. Written here rather than
 * taken from a library because the libraries on hand (e.g. commons-math's CMAESOptimizer) run the loop and call
 * the objective themselves, while a distributed run needs to hand a whole generation to Spark and feed the
 * losses back. Generation {@code g}'s member {@code k} is drawn from a seed derived from (seed, g, k), so a
 * generation is reproducible from the state alone, whatever evaluates it.
 *
 * <p>The driver's heavy work runs on background threads while a generation is being evaluated, so that at
 * n = 512 it does not hold up the queries: the covariance update (O(μn²)), its eigendecomposition (O(n³)) and
 * the next generation's sample steps (O(λn²)). What each step uses is fixed by the schedule, never by timing,
 * so runs are deterministic: the decomposition of C after generation g is started by {@link #tell} g and
 * adopted by {@link #tell} g + 1, so generation g + 2 is the first to sample from it (the tutorial's samples
 * too come from a basis some generations old).
 */
public final class CmaEs {
    /** Daemon threads: work still under way never keeps a JVM alive. */
    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cma-es-background");
        t.setDaemon(true);
        return t;
    });

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

    private double[] mean;
    private double sigma;
    private double[] pc;
    private double[] ps;
    private int generation;
    private long evaluations;
    private long eigenAt;
    /** What the next ask samples in and the next tell whitens with. */
    private EigenBasis basis;
    /** C after the last tell. */
    private CompletableFuture<double[][]> covariance;
    /** The decomposition of that C when one is due, for the next tell to adopt; else null. */
    private CompletableFuture<EigenBasis> pending;
    /** The sample steps of generation {@code stepsFor}, computed ahead. */
    private CompletableFuture<double[][]> steps;
    private int stepsFor = -1;

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
     * @param eigenAt evaluations at the last eigendecomposition started
     * @param b eigenvectors (columns) of the C that the next samples come from
     * @param d square roots of its eigenvalues
     * @param decomposing whether the decomposition of {@code c} is under way, to replace b and d at the next tell
     */
    public record State(double[] mean, double sigma, double[][] c, double[] pc, double[] ps, int generation,
            long evaluations, long eigenAt, double[][] b, double[] d, boolean decomposing) {
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
        this.mean = mean.clone();
        this.sigma = sigma;
        pc = new double[n];
        ps = new double[n];
        basis = EigenBasis.identity(n);
        covariance = CompletableFuture.completedFuture(identity);
    }

    /** @return the population size λ */
    public int populationSize() {
        return lambda;
    }

    /** @return the state (copies; waits for the covariance update under way) */
    public State state() {
        return new State(mean.clone(), sigma, copy(covariance.join()), pc.clone(), ps.clone(), generation, evaluations,
                eigenAt, basis.vectors(), basis.scales(), pending != null);
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
        mean = s.mean().clone();
        sigma = s.sigma();
        pc = s.pc().clone();
        ps = s.ps().clone();
        generation = s.generation();
        evaluations = s.evaluations();
        eigenAt = s.eigenAt();
        basis = EigenBasis.of(s.b(), s.d());
        double[][] c = copy(s.c());
        covariance = CompletableFuture.completedFuture(c);
        // A decomposition under way when the state was saved is done again: same input, same result.
        pending = s.decomposing() ? CompletableFuture.supplyAsync(() -> EigenBasis.decompose(c), BACKGROUND) : null;
        steps = null;
        stepsFor = -1;
    }

    /** @return the current mean (a copy) */
    public double[] mean() {
        return mean.clone();
    }

    /** @return the current step size */
    public double sigma() {
        return sigma;
    }

    /** @return generations told so far */
    public int generation() {
        return generation;
    }

    /**
     * @return the next generation's λ candidates {@code mean + σ·B·D·z}, {@code z ~ N(0, I)} seeded by
     *     (seed, generation, member)
     */
    public double[][] ask() {
        double[][] y = stepsFor == generation ? steps.join() : basis.steps(seed, generation, lambda);
        // The generation after this one samples in the basis the coming tell adopts, known already: its steps
        // are computed while this generation is evaluated.
        CompletableFuture<EigenBasis> next = pending != null ? pending : CompletableFuture.completedFuture(basis);
        int g = generation + 1;
        steps = next.thenApplyAsync(e -> e.steps(seed, g, lambda), BACKGROUND);
        stepsFor = g;
        double[][] x = new double[lambda][n];
        for (int k = 0; k < lambda; k++) {
            for (int i = 0; i < n; i++) {
                x[k][i] = mean[i] + sigma * y[k][i];
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
        double[] old = mean;
        double[] newMean = new double[n];
        DMatrixRMaj y = new DMatrixRMaj(mu, n);                       // (μ, n) selected steps, in σ units
        DMatrixRMaj wy = new DMatrixRMaj(mu, n);                      // (μ, n) the same, weighted
        for (int i = 0; i < mu; i++) {
            double[] x = candidates[order[i]];
            for (int j = 0; j < n; j++) {
                newMean[j] += weights[i] * x[j];
                double step = (x[j] - old[j]) / sigma;
                y.unsafe_set(i, j, step);
                wy.unsafe_set(i, j, weights[i] * step);
            }
        }
        double[] yw = new double[n];
        for (int j = 0; j < n; j++) {
            yw[j] = (newMean[j] - old[j]) / sigma;
        }
        double[] whitened = basis.whiten(yw);                         // C^{-1/2} y_w
        double[] newPs = new double[n];
        double psScale = Math.sqrt(cs * (2 - cs) * muEff);
        for (int i = 0; i < n; i++) {
            newPs[i] = (1 - cs) * ps[i] + psScale * whitened[i];
        }
        double psNorm = norm(newPs);
        generation++;
        boolean hsig = psNorm / Math.sqrt(1 - StrictMath.pow(1 - cs, 2.0 * generation)) / chiN < 1.4 + 2.0 / (n + 1);
        double[] newPc = new double[n];
        double pcScale = hsig ? Math.sqrt(cc * (2 - cc) * muEff) : 0;
        for (int i = 0; i < n; i++) {
            newPc[i] = (1 - cc) * pc[i] + pcScale * yw[i];
        }
        double keep = 1 - c1 - cmu + (hsig ? 0 : c1 * cc * (2 - cc));
        covariance = covariance.thenApplyAsync(c -> updated(c, keep, newPc, y, wy), BACKGROUND);
        sigma = sigma * StrictMath.exp((cs / damps) * (psNorm / chiN - 1));
        mean = newMean;
        ps = newPs;
        pc = newPc;
        evaluations += lambda;
        if (pending != null) {
            basis = pending.join();
            pending = null;
        }
        // The decomposition is O(n³): refresh it only every λ/(c1+cμ)/n/2 evaluations, the gap of Hansen's own
        // purecma.py (his tutorial's code uses a fifth of it); C moves by about c1 + cμ per generation, so the
        // basis stays close. At n = 512 and λ = 40 that is every 13 generations instead of 3.
        if (evaluations - eigenAt > lambda / (c1 + cmu) / n / 2) {
            eigenAt = evaluations;
            pending = covariance.thenApplyAsync(EigenBasis::decompose, BACKGROUND);
        }
    }

    /** {@code keep·C + c1·pc·pcᵀ + cμ·Σ_k w_k y_k y_kᵀ}, the rank-μ sum as the product Yᵀ·(W·Y). */
    private double[][] updated(double[][] c, double keep, double[] pc, DMatrixRMaj y, DMatrixRMaj wy) {
        DMatrixRMaj rankMu = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(y, wy, rankMu);
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                // The lower triangle, mirrored: C stays exactly symmetric.
                double v = keep * c[i][j] + c1 * pc[i] * pc[j] + cmu * rankMu.unsafe_get(i, j);
                out[i][j] = v;
                out[j][i] = v;
            }
        }
        return out;
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
