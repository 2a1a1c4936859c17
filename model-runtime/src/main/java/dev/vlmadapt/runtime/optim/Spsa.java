package dev.vlmadapt.runtime.optim;

import dev.vlmadapt.runtime.random.Seeds;
import java.util.ArrayList;
import java.util.List;

/**
 * SPSA with the schedules {@code a_k = a/(k+o)^α}, {@code c_k = c/k^γ} and several two-sided draws per step,
 * in the two variants the baselines use:
 * <ul>
 * <li>ZIP: Rademacher directions, the gradient estimate rescaled to norm √δ when it exceeds it (δ = the
 * intrinsic dimension), no momentum;</li>
 * <li>BlackVIP's SPSA-GC: directions with magnitudes U[0.5, 1] and random signs, the estimate divided
 * elementwise by the direction, and gradient correction with momentum: {@code m ← βm + g},
 * {@code w ← w − a_k (g + βm)}.</li>
 * </ul>
 */
public final class Spsa implements ZoOptimizer {
    /**
     * @param a step-size numerator
     * @param c perturbation-size numerator
     * @param alpha step-size decay
     * @param gamma perturbation-size decay
     * @param offset o in the step-size schedule
     * @param draws two-sided draws per step (2 queries each)
     * @param kind direction distribution
     * @param clipNorm rescale the estimate to this norm when it exceeds it (0 = never)
     * @param momentum β of SPSA-GC (0 = plain SPSA)
     * @param seed seed of the draws
     */
    public record Settings(double a, double c, double alpha, double gamma, double offset, int draws,
            Directions.Kind kind, double clipNorm, double momentum, long seed) implements java.io.Serializable {
        /**
         * @param dimension number of parameters (ZIP's intrinsic dimension δ)
         * @param seed seed
         * @return ZIP's settings (a = c = 0.01, α = 0.4, γ = 0.1, 5 draws, clip at √δ)
         */
        public static Settings zip(int dimension, long seed) {
            return new Settings(0.01, 0.01, 0.4, 0.1, 1, 5, Directions.Kind.RADEMACHER, Math.sqrt(dimension), 0, seed);
        }

        /**
         * @param seed seed
         * @return BlackVIP's SPSA-GC settings (a = 0.01, c = 0.01, α = 0.4, γ = 0.1, o = 1, 5 draws, β = 0.9)
         */
        public static Settings blackVip(long seed) {
            return new Settings(0.01, 0.01, 0.4, 0.1, 1, 5, Directions.Kind.SIGNED_UNIFORM, 0, 0.9, seed);
        }
    }

    /**
     * @param step completed steps
     * @param w parameters
     * @param m momentum
     */
    public record State(int step, double[] w, double[] m) {
    }

    private final Settings s;
    private int step;
    private double[] w;
    private double[] m;

    /**
     * @param initial initial parameters
     * @param settings hyper-parameters
     */
    public Spsa(double[] initial, Settings settings) {
        this.s = settings;
        this.w = initial.clone();
        this.m = new double[initial.length];
    }

    private double ck() {
        return s.c() / StrictMath.pow(step + 1, s.gamma());
    }

    private double ak() {
        return s.a() / StrictMath.pow(step + 1 + s.offset(), s.alpha());
    }

    private long drawSeed(int j) {
        return Seeds.derive(s.seed(), "spsa", step, j);
    }

    @Override
    public QueryBatch ask() {
        double c = ck();
        List<Perturbation> points = new ArrayList<>(2 * s.draws());
        for (int j = 0; j < s.draws(); j++) {
            points.add(new Perturbation.Seeded(s.kind(), drawSeed(j), c));
            points.add(new Perturbation.Seeded(s.kind(), drawSeed(j), -c));
        }
        return new QueryBatch(w.clone(), null, points);
    }

    @Override
    public void tell(double[] losses) {
        int d = w.length;
        double c = ck();
        double[] g = new double[d];
        for (int j = 0; j < s.draws(); j++) {
            double[] delta = Directions.draw(s.kind(), drawSeed(j), d, null);
            double diff = (losses[2 * j] - losses[2 * j + 1]) / (2 * c);
            for (int i = 0; i < d; i++) {
                g[i] += diff / delta[i] / s.draws();
            }
        }
        if (s.clipNorm() > 0) {
            double norm = 0;
            for (double v : g) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            if (norm >= s.clipNorm()) {
                for (int i = 0; i < d; i++) {
                    g[i] *= s.clipNorm() / norm;
                }
            }
        }
        double a = ak();
        for (int i = 0; i < d; i++) {
            if (s.momentum() > 0) {
                m[i] = s.momentum() * m[i] + g[i];
                w[i] -= a * (g[i] + s.momentum() * m[i]);
            } else {
                w[i] -= a * g[i];
            }
        }
        step++;
    }

    @Override
    public long stepCost() {
        return 2L * s.draws();
    }

    @Override
    public double[] solution() {
        return w.clone();
    }

    @Override
    public String stage() {
        return "spsa";
    }

    @Override
    public int step() {
        return step;
    }

    @Override
    public boolean sequential() {
        return true;
    }

    @Override
    public String state() {
        return StateJson.write(new State(step, w, m));
    }

    @Override
    public void restore(String json) {
        State st = StateJson.read(json, State.class);
        step = st.step();
        w = st.w();
        m = st.m();
    }
}
