package dev.vlmadapt.runtime.optim;

import java.util.SplittableRandom;

/** Random directions regenerated from a seed, identical wherever they are drawn. */
public final class Directions {
    /** Distributions of a direction's coordinates. */
    public enum Kind {
        /** N(0, 1): two-point random gradient estimates (SharpZO stage 2). */
        GAUSSIAN,
        /** ±1 with equal probability: SPSA (ZIP). */
        RADEMACHER,
        /** ±U[0.5, 1]: BlackVIP's SPSA-GC perturbation magnitudes with random signs. */
        SIGNED_UNIFORM
    }

    private Directions() {
    }

    /**
     * @param kind distribution
     * @param seed the direction's seed
     * @param d dimension
     * @param mask coordinates to draw (others are 0), or null for all; masked-out coordinates still consume
     *     their draw, so a direction does not depend on the mask's other entries
     * @return the direction
     */
    public static double[] draw(Kind kind, long seed, int d, double[] mask) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] u = new double[d];
        for (int i = 0; i < d; i++) {
            double v = switch (kind) {
                case GAUSSIAN -> r.nextGaussian();
                case RADEMACHER -> r.nextBoolean() ? 1 : -1;
                case SIGNED_UNIFORM -> (r.nextBoolean() ? 1 : -1) * r.nextDouble(0.5, 1.0);
            };
            u[i] = mask == null ? v : v * mask[i];
        }
        return u;
    }
}
